package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The certificate served in SECURE mode when no TLS material is configured and {@code
 * https-server.ssl.dev-certificate.enabled} is set: a self-signed EC P-256 certificate for
 * localhost, 127.0.0.1 and ::1, kept on disk so it stays the same across restarts and a developer
 * can trust it once.
 */
final class DevelopmentCertificate {

    private static final Log LOG = LogFactory.getLog(DevelopmentCertificate.class);
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(7);

    private DevelopmentCertificate() {}

    static KeyMaterial loadOrCreate(Path directory) {
        Path certificate = directory.resolve("dev-localhost.pem");
        Path key = directory.resolve("dev-localhost-key.pem");
        KeyMaterial material = load(certificate, key);
        boolean persisted = true;
        if (material == null) {
            material = Certificates.developmentCertificate(VALIDITY);
            try {
                Files.createDirectories(directory);
                Certificates.writePem(material, certificate, key);
            } catch (IOException | RuntimeException e) {
                persisted = false;
                LOG.warn("Could not save the development certificate in " + directory + " ("
                        + whyNotWritable(e)
                        + "): serving one that lives only as long as this process, so clients must trust a"
                        + " new one at every start. Set https-server.ssl.dev-certificate.directory to a"
                        + " writable directory.");
            }
        }
        LOG.warn("No TLS certificate configured: serving a self-signed DEVELOPMENT certificate for localhost"
                + " because https-server.ssl.dev-certificate.enabled=true"
                + (persisted ? " (" + certificate + "; trust it once, e.g. curl --cacert " + certificate + ")" : "")
                + ". Never in production: set https-server.ssl.certificate and https-server.ssl.private-key, or"
                + " https-server.ssl.bundle.");
        return material;
    }

    /** The reason in words: the JDK's file exceptions carry only the path as their message. */
    private static String whyNotWritable(Exception e) {
        return switch (e) {
            case FileAlreadyExistsException exists -> exists.getFile() + " exists and is not a directory";
            case NotDirectoryException notDirectory -> notDirectory.getFile() + " is not a directory";
            case AccessDeniedException denied -> "permission denied: " + denied.getFile();
            case FileSystemException other ->
                other.getFile() + ": "
                        + (other.getReason() == null ? other.getClass().getSimpleName() : other.getReason());
            default -> e.toString();
        };
    }

    private static KeyMaterial load(Path certificate, Path key) {
        if (!Files.isReadable(certificate) || !Files.isReadable(key)) {
            return null;
        }
        try {
            KeyMaterial material = KeyMaterial.fromPemFiles(certificate, key, null);
            Date renewal = Date.from(Instant.now().plus(RENEW_BEFORE));
            return material.validityProblem(renewal) == null ? material : null;
        } catch (RuntimeException e) {
            LOG.info("Replacing the unusable development certificate " + certificate + ": " + e.getMessage());
            return null;
        }
    }
}
