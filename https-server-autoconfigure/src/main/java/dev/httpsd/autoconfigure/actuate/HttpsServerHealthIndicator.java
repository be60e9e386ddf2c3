package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.server.tls.HttpsServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while the server listens, DOWN once it has stopped; certificate chains follow Spring Boot's
 * SSL health: an expired or not-yet-valid chain makes it OUT_OF_SERVICE ({@code invalidChains}),
 * one expiring within the warning threshold is listed in {@code expiringChains}. Reads the
 * certificates the server presents now, so reloads are reflected.
 *
 * <p>A port that cannot be bound is never reported here: the server binds while the context
 * starts, and a bind failure fails the application's startup with the port-in-use failure
 * analysis, as Spring Boot's embedded web servers do. There is no "failed to bind" state.
 */
public final class HttpsServerHealthIndicator extends AbstractHealthIndicator {

    private final HttpsServerLifecycle lifecycle;
    private final Duration warningThreshold;

    public HttpsServerHealthIndicator(HttpsServerLifecycle lifecycle, Duration warningThreshold) {
        super("httpsd server health check failed");
        this.lifecycle = lifecycle;
        this.warningThreshold = warningThreshold;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        HttpsServer server = lifecycle.server();
        if (server == null || server.httpServer().isStopped()) {
            builder.down().withDetail("state", "stopped");
            return;
        }
        builder.withDetail("port", server.port())
                .withDetail("transportMode", server.transportMode().name())
                .withDetail("openSessions", server.httpServer().openSessions());
        Instant now = Instant.now();
        List<Map<String, Object>> valid = new ArrayList<>();
        List<Map<String, Object>> expiring = new ArrayList<>();
        List<Map<String, Object>> invalid = new ArrayList<>();
        for (CertificateChains.Chain chain : CertificateChains.of(server)) {
            Map<String, Object> description = CertificateChains.describe(chain, now, warningThreshold);
            switch (CertificateChains.worst(chain.material(), now, warningThreshold)) {
                case VALID -> valid.add(description);
                case WILL_EXPIRE_SOON -> expiring.add(description);
                case EXPIRED, NOT_YET_VALID -> invalid.add(description);
            }
        }
        if (invalid.isEmpty()) {
            builder.up();
        } else {
            builder.outOfService();
        }
        if (server.config().transportMode() == dev.httpsd.server.tls.TransportMode.SECURE) {
            builder.withDetail("validChains", valid)
                    .withDetail("expiringChains", expiring)
                    .withDetail("invalidChains", invalid);
        }
    }
}
