package dev.httpsd.autoconfigure;

import java.util.Map;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Configuration that binding would ignore without a word: properties httpsd had before it used
 * Spring Boot's own (or moved), and {@code server-name-bundles} written in its former map shape.
 * Startup fails and says what to write instead. The removed properties are also in the
 * configuration metadata with deprecation level {@code error}, so IDEs flag them too.
 */
final class PropertyChecks {

    /** Removed property → what to write instead. */
    private static final Map<String, String> REPLACEMENTS = Map.of(
            "https-server.management.port", "use management.server.port (Spring Boot's property) instead",
            "https-server.management.address", "use management.server.address (Spring Boot's property) instead",
            "https-server.health.certificate-validity-warning-threshold",
                    "use management.health.ssl.certificate-validity-warning-threshold (Spring Boot's property)"
                            + " instead",
            "https-server.shutdown-grace-period",
                    "use spring.lifecycle.timeout-per-shutdown-phase (Spring Boot's property) instead; the drain"
                            + " runs when server.shutdown is graceful, the default",
            "https-server.ssl.dev-certificate-directory",
                    "use https-server.ssl.dev-certificate.directory instead, with"
                            + " https-server.ssl.dev-certificate.enabled=true: the development certificate is opt-in");

    private static final ConfigurationPropertyName SERVER_NAME_BUNDLES =
            ConfigurationPropertyName.of("https-server.ssl.server-name-bundles");

    private PropertyChecks() {}

    /** @throws InvalidConfigurationPropertyValueException naming the property and what to use instead */
    static void check(Environment environment) {
        REPLACEMENTS.forEach((removed, replacement) -> {
            String value = environment.getProperty(removed);
            if (value != null) {
                throw new InvalidConfigurationPropertyValueException(removed, value, "it was removed; " + replacement);
            }
        });
        checkServerNameBundlesShape(environment);
    }

    /**
     * {@code server-name-bundles} is a list of {@code server-name}/{@code bundle} pairs, like
     * Boot's {@code server.ssl.server-name-bundles}; a map entry such as {@code api.example.com:
     * api} would bind to nothing, and a map key loses a leading {@code *}.
     */
    private static void checkServerNameBundlesShape(Environment environment) {
        int depth = SERVER_NAME_BUNDLES.getNumberOfElements();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.stream()
                    .filter(name -> SERVER_NAME_BUNDLES.isAncestorOf(name) && !name.isNumericIndex(depth))
                    .findFirst()
                    .ifPresent(name -> {
                        throw new InvalidConfigurationPropertyValueException(
                                name.toString(),
                                source.getConfigurationProperty(name).getValue(),
                                "https-server.ssl.server-name-bundles is a list of server-name and bundle"
                                        + " pairs, as Spring Boot's server.ssl.server-name-bundles: write"
                                        + " '- server-name: api.example.com' with 'bundle: api' under it");
                    });
        }
    }
}
