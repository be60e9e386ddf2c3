package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.autoconfigure.CertificateReloadStatus;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.TransportMode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health component {@code httpsd}: UP while the server listens, DOWN once it has stopped, with the
 * port, transport mode, open sessions and, for TLS, whether the self-signed development
 * certificate is what clients get and, once an SSL bundle update asked for one, how the
 * certificate reloads went ({@code certificateReload}). Certificate validity is Spring Boot's {@code ssl} indicator's
 * job: httpsd's certificates are in its SSL bundles (see the README).
 *
 * <p>A port that cannot be bound is never reported here: the server binds while the context
 * starts, and a bind failure fails the application's startup with the port-in-use failure
 * analysis, as Spring Boot's embedded web servers do. There is no "failed to bind" state.
 */
public final class HttpsServerHealthIndicator extends AbstractHealthIndicator {

    private final HttpsServerLifecycle lifecycle;

    public HttpsServerHealthIndicator(HttpsServerLifecycle lifecycle) {
        super("httpsd server health check failed");
        this.lifecycle = lifecycle;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        HttpsServer server = lifecycle.server();
        if (server == null || server.httpServer().isStopped()) {
            builder.down().withDetail("state", "stopped");
            return;
        }
        builder.up()
                .withDetail("port", server.port())
                .withDetail("transportMode", server.transportMode().name())
                .withDetail("openSessions", server.httpServer().openSessions());
        if (server.transportMode() == TransportMode.SECURE) {
            builder.withDetail("developmentCertificate", lifecycle.usesDevelopmentCertificate());
            CertificateReloadStatus reloads = lifecycle.certificateReloads();
            if (reloads.succeeded() + reloads.failed() > 0) {
                builder.withDetail("certificateReload", reloadDetails(reloads));
            }
        }
    }

    /**
     * A failed reload leaves the server serving (with its previous certificate), so the status
     * stays UP; the details say that the certificate is not the one the bundle now holds, and why.
     */
    private static Map<String, Object> reloadDetails(CertificateReloadStatus reloads) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("succeeded", reloads.succeeded());
        details.put("failed", reloads.failed());
        details.put("lastReloadFailed", reloads.lastReloadFailed());
        if (reloads.lastSuccess() != null) {
            details.put("lastSuccess", reloads.lastSuccess().toString());
        }
        if (reloads.lastFailure() != null) {
            details.put("lastFailure", reloads.lastFailure().toString());
            details.put("lastFailureReason", reloads.lastFailureReason());
        }
        return details;
    }
}
