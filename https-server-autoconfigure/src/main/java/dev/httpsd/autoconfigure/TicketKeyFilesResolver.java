package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.SessionTicketKeyFiles;
import dev.httpsd.server.tls.TlsMaterialException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Turns {@code https-server.ssl.session-ticket-keys.*} into {@link SessionTicketKeyFiles}: file
 * locations resolved as Spring resources that must be files (they are read, and watched, on the
 * file system), the format, and with {@code reload-on-update} the quiet period of Spring Boot's
 * own SSL bundle file watcher ({@code spring.ssl.bundle.watch.file.quiet-period}). The files are
 * read once here, so a problem is reported on the property before the server starts.
 */
final class TicketKeyFilesResolver {

    static final String PROPERTY = "https-server.ssl.session-ticket-keys.files";

    private TicketKeyFilesResolver() {}

    /**
     * @return {@code null} when no key file is configured
     * @throws InvalidConfigurationPropertyValueException naming the property when a location is
     *     no file, or the files cannot be read or hold no usable keys
     */
    static SessionTicketKeyFiles resolve(
            HttpsServerProperties.TicketKeys properties, ResourceLoader resources, Duration quietPeriod) {
        List<String> locations = properties.getFiles();
        if (locations.isEmpty()) {
            return null;
        }
        List<Path> files = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i++) {
            files.add(file(locations.get(i), PROPERTY + "[" + i + "]", resources));
        }
        SessionTicketKeyFiles keyFiles;
        try {
            keyFiles = new SessionTicketKeyFiles(
                    properties.getFormat(), files, properties.isReloadOnUpdate() ? quietPeriod : null);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(PROPERTY, locations, e.getMessage());
        }
        try {
            keyFiles.read();
        } catch (TlsMaterialException e) {
            throw new InvalidConfigurationPropertyValueException(PROPERTY, locations, e.getMessage());
        }
        return keyFiles;
    }

    private static Path file(String location, String property, ResourceLoader resources) {
        Resource resource = resources.getResource(location);
        if (!resource.exists()) {
            throw new InvalidConfigurationPropertyValueException(property, location, "no such file");
        }
        if (!resource.isFile()) {
            throw new InvalidConfigurationPropertyValueException(
                    property,
                    location,
                    "must be a file on the file system (a path or a file: location): key files are read"
                            + " there, and watched with reload-on-update");
        }
        try {
            return resource.getFile().toPath();
        } catch (IOException e) {
            throw new InvalidConfigurationPropertyValueException(property, location, "cannot be read: " + e);
        }
    }
}
