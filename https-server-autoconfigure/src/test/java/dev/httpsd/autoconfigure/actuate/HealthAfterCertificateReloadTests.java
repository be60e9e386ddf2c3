package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.KeyMaterial;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.SslHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.info.SslInfo.CertificateChainInfo;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Spring Boot's {@code ssl} health indicator checks the certificates the server presents now, so
 * a reload changes it: an expiring certificate is listed in {@code expiringChains} (still UP), an
 * expired one makes it OUT_OF_SERVICE, a valid one brings it back, whether the reload comes from
 * the core API (the {@code https-server} bundle follows the server, SNI certificates included) or
 * from an SSL bundle whose files were rewritten (Boot's own bundle, which httpsd does not repeat).
 */
class HealthAfterCertificateReloadTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class,
                    HttpsServerActuatorAutoConfiguration.class,
                    SslHealthContributorAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class))
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "management.health.ssl.certificate-validity-warning-threshold=14d",
                    "spring.ssl.bundle.watch.file.quiet-period=100ms");

    @TempDir
    Path dir;

    @Test
    void coreReloadsMoveSslHealthThroughExpiringAndExpiredAndBack() throws Exception {
        KeyMaterial expiring = issued("localhost", Duration.ofDays(-1), Duration.ofDays(3));
        KeyMaterial expired = issued("localhost", Duration.ofDays(-10), Duration.ofDays(-1));
        KeyMaterial renewed = issued("localhost", Duration.ofDays(-1), Duration.ofDays(90));
        runner.withPropertyValues(inline(TestHttps.SERVER)).run(context -> {
            HttpsServer server = context.getBean(HttpsServerLifecycle.class).server();
            assertSsl(context, Status.UP, Map.of("default", TestHttps.SERVER), List.of());

            server.reload(expiring);
            assertSsl(context, Status.UP, Map.of("default", expiring), List.of("default"));

            server.reload(expired);
            assertSsl(context, Status.OUT_OF_SERVICE, Map.of("default", expired), List.of());

            server.reload(renewed);
            assertSsl(context, Status.UP, Map.of("default", renewed), List.of());
        });
    }

    @Test
    void sniCertificatesReloadedThroughTheCoreAreCheckedUnderTheirServerName() throws Exception {
        KeyMaterial api = issued("api.example.test", Duration.ofDays(-1), Duration.ofDays(90));
        KeyMaterial expiredApi = issued("api.example.test", Duration.ofDays(-10), Duration.ofDays(-1));
        runner.withPropertyValues(inline(TestHttps.SERVER)).run(context -> {
            HttpsServer server = context.getBean(HttpsServerLifecycle.class).server();
            server.reload(TestHttps.SERVER, Map.of("api.example.test", api), List.of());
            assertSsl(context, Status.UP, Map.of("default", TestHttps.SERVER, "api.example.test", api), List.of());

            server.reload(TestHttps.SERVER, Map.of("api.example.test", expiredApi), List.of());
            assertSsl(
                    context,
                    Status.OUT_OF_SERVICE,
                    Map.of("default", TestHttps.SERVER, "api.example.test", expiredApi),
                    List.of());
        });
    }

    @Test
    void rewrittenBundleFilesMoveSslHealthToOutOfServiceAndBack() throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        KeyMaterial expired = issued("localhost", Duration.ofDays(-10), Duration.ofDays(-1));
        KeyMaterial renewed = issued("localhost", Duration.ofDays(-1), Duration.ofDays(90));
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.web.keystore.certificate=" + pem[0],
                        "spring.ssl.bundle.pem.web.keystore.private-key=" + pem[1],
                        "spring.ssl.bundle.pem.web.reload-on-update=true",
                        "https-server.ssl.bundle=web")
                .run(context -> {
                    assertThat(context.getBean(SslBundles.class).getBundleNames())
                            .as("the bundle's certificate is reported once, under the bundle's name")
                            .containsExactly("web");
                    assertThat(serial(ssl(context))).isEqualTo(serial(TestHttps.SERVER));

                    Certificates.writePem(expired, pem[0], pem[1]);
                    await().atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(() -> {
                                Health health = ssl(context);
                                assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                                assertThat(serial(health)).isEqualTo(serial(expired));
                            });

                    Certificates.writePem(renewed, pem[0], pem[1]);
                    await().atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(() -> {
                                Health health = ssl(context);
                                assertThat(health.getStatus()).isEqualTo(Status.UP);
                                assertThat(serial(health)).isEqualTo(serial(renewed));
                            });
                });
    }

    /**
     * The status, the chains Boot checks (alias → the very certificate presented, by serial
     * number), and which of them it lists as expiring.
     */
    private static void assertSsl(
            AssertableApplicationContext context,
            Status status,
            Map<String, KeyMaterial> presented,
            List<String> expiring) {
        Health health = ssl(context);
        assertThat(health.getStatus()).isEqualTo(status);
        List<CertificateChainInfo> chains = checked(health);
        assertThat(chains)
                .extracting(CertificateChainInfo::getAlias)
                .containsExactlyInAnyOrderElementsOf(presented.keySet());
        for (CertificateChainInfo chain : chains) {
            assertThat(chain.getCertificates().getFirst().getSerialNumber())
                    .as("the reloaded certificate is the one checked for %s", chain.getAlias())
                    .isEqualTo(serial(presented.get(chain.getAlias())));
        }
        assertThat(chains(health, "expiringChains"))
                .extracting(CertificateChainInfo::getAlias)
                .containsExactlyInAnyOrderElementsOf(expiring);
    }

    private static Health ssl(AssertableApplicationContext context) {
        return context.getBean("sslHealthIndicator", HealthIndicator.class).health(true);
    }

    @SuppressWarnings("unchecked")
    private static List<CertificateChainInfo> chains(Health health, String list) {
        return (List<CertificateChainInfo>) health.getDetails().get(list);
    }

    /** Every chain Boot checked: the valid ones (expiring included) and the invalid ones. */
    private static List<CertificateChainInfo> checked(Health health) {
        List<CertificateChainInfo> all = new ArrayList<>(chains(health, "validChains"));
        all.addAll(chains(health, "invalidChains"));
        return all;
    }

    /** The serial of the only chain's leaf, wherever Boot lists it. */
    private static String serial(Health health) {
        List<CertificateChainInfo> all = checked(health);
        assertThat(all).hasSize(1);
        return all.getFirst().getCertificates().getFirst().getSerialNumber();
    }

    private static String serial(KeyMaterial key) {
        return key.certificate().getSerialNumber().toString(16);
    }

    /** A certificate for {@code name} from the test CA, valid from now + {@code start} to now + {@code end}. */
    private static KeyMaterial issued(String name, Duration start, Duration end) {
        Instant now = Instant.now();
        List<String> names = name.equals("localhost") ? Certificates.DEVELOPMENT_NAMES : List.of(name);
        return TestHttps.CA.issueServer(name, now.plus(start), now.plus(end), names);
    }

    private static String[] inline(KeyMaterial key) {
        return new String[] {
            "https-server.ssl.certificate=" + Certificates.toPem(key.chain()),
            "https-server.ssl.private-key=" + Certificates.toPem(key.privateKey())
        };
    }
}
