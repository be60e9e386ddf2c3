package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.KeyMaterial;
import dev.httpsd.server.tls.TlsFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Health checks the certificates the server presents now, so a reload changes it: an expiring
 * certificate is listed in {@code expiringChains} (still UP), an expired one makes it
 * OUT_OF_SERVICE, a valid one brings it back, whether the reload comes from the core API or
 * from an SSL bundle whose files were rewritten.
 */
class HealthAfterCertificateReloadTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class,
                    HttpsServerActuatorAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class))
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.health.certificate-validity-warning-threshold=14d",
                    "spring.ssl.bundle.watch.file.quiet-period=100ms");

    @TempDir
    Path dir;

    @Test
    void coreReloadsMoveHealthThroughExpiringAndExpiredAndBack() throws Exception {
        KeyMaterial expiring = issued(Duration.ofDays(-1), Duration.ofDays(3));
        KeyMaterial expired = issued(Duration.ofDays(-10), Duration.ofDays(-1));
        KeyMaterial renewed = issued(Duration.ofDays(-1), Duration.ofDays(90));
        runner.withPropertyValues(inline(TlsFixtures.SERVER)).run(context -> {
            HttpsServer server = context.getBean(HttpsServerLifecycle.class).server();
            assertHealth(context, Status.UP, "validChains", TlsFixtures.SERVER);

            server.reload(expiring);
            assertHealth(context, Status.UP, "expiringChains", expiring);

            server.reload(expired);
            assertHealth(context, Status.OUT_OF_SERVICE, "invalidChains", expired);

            server.reload(renewed);
            assertHealth(context, Status.UP, "validChains", renewed);
        });
    }

    @Test
    void rewrittenBundleFilesMoveHealthToOutOfServiceAndBack() throws Exception {
        Path[] pem = TlsFixtures.writePem(TlsFixtures.SERVER, dir, "server");
        KeyMaterial expired = issued(Duration.ofDays(-10), Duration.ofDays(-1));
        KeyMaterial renewed = issued(Duration.ofDays(-1), Duration.ofDays(90));
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.web.keystore.certificate=" + pem[0],
                        "spring.ssl.bundle.pem.web.keystore.private-key=" + pem[1],
                        "spring.ssl.bundle.pem.web.reload-on-update=true",
                        "https-server.ssl.bundle=web")
                .run(context -> {
                    assertHealth(context, Status.UP, "validChains", TlsFixtures.SERVER);

                    Certificates.writePem(expired, pem[0], pem[1]);
                    await().atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(
                                    () -> assertHealth(context, Status.OUT_OF_SERVICE, "invalidChains", expired));

                    Certificates.writePem(renewed, pem[0], pem[1]);
                    await().atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(() -> assertHealth(context, Status.UP, "validChains", renewed));
                });
    }

    /**
     * The status, and {@code expected}'s leaf as the only chain, listed under {@code listedIn}
     * and under neither of the other two lists.
     */
    @SuppressWarnings("unchecked")
    private static void assertHealth(
            AssertableApplicationContext context, Status status, String listedIn, KeyMaterial expected) {
        Health health = context.getBean(HttpsServerHealthIndicator.class).health();
        assertThat(health.getStatus()).isEqualTo(status);
        for (String list : List.of("validChains", "expiringChains", "invalidChains")) {
            List<Map<String, Object>> chains =
                    (List<Map<String, Object>>) health.getDetails().get(list);
            if (!list.equals(listedIn)) {
                assertThat(chains).as(list).isEmpty();
                continue;
            }
            assertThat(chains).as(list).hasSize(1);
            Map<String, Object> leaf =
                    ((List<Map<String, Object>>) chains.getFirst().get("certificates")).getFirst();
            assertThat(leaf.get("serialNumber"))
                    .as("the reloaded certificate is the one checked")
                    .isEqualTo(expected.certificate().getSerialNumber().toString(16));
        }
    }

    /** A localhost certificate from the test CA valid from now + {@code start} to now + {@code end}. */
    private static KeyMaterial issued(Duration start, Duration end) {
        Instant now = Instant.now();
        return TlsFixtures.CA.issueServer("localhost", now.plus(start), now.plus(end), Certificates.DEVELOPMENT_NAMES);
    }

    private static String[] inline(KeyMaterial key) {
        return new String[] {
            "https-server.ssl.certificate=" + Certificates.toPem(key.chain()),
            "https-server.ssl.private-key=" + Certificates.toPem(key.privateKey())
        };
    }
}
