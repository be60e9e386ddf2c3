package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import java.io.IOException;
import java.nio.file.Files;
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
                LOG.warn("Could not save the development certificate in " + directory + " (" + e
                        + "); a new one will be made at every start");
            }
        }
        LOG.warn("No TLS certificate configured: serving a self-signed DEVELOPMENT certificate for localhost"
                + " because https-server.ssl.dev-certificate.enabled=true"
                + (persisted ? " (" + certificate + "; trust it once, e.g. curl --cacert " + certificate + ")" : "")
                + ". Never in production: set https-server.ssl.certificate and https-server.ssl.private-key, or"
                + " https-server.ssl.bundle.");
        return material;
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
