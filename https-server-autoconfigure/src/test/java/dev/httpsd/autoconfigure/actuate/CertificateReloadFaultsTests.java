package dev.httpsd.autoconfigure.actuate;

import static dev.httpsd.autoconfigure.actuate.MeterReadings.read;
import static io.micrometer.core.instrument.Statistic.COUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.CertificateReloadStatus;
import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A {@code reload-on-update} SSL bundle whose files are rewritten badly: a certificate written
 * before its key (so the two do not match), a file that is not PEM at all, a copy interrupted half
 * way for longer than Spring's watcher waits. Each time the server keeps presenting its previous
 * certificate to every new client and keeps serving, and the failure is visible: a WARN naming the
 * bundle, the certificate kept and the reason, {@code httpsd.ssl.reloads{result=failure}}, and
 * {@code certificateReload} in the {@code httpsd} health component (status still UP: the server
 * serves). Completing the files brings the new certificate.
 */
@ExtendWith(OutputCaptureExtension.class)
class CertificateReloadFaultsTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class,
                    HttpsServerActuatorAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class,
                    MetricsEndpointAutoConfiguration.class,
                    EndpointAutoConfiguration.class))
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "management.endpoints.web.exposure.include=metrics",
                    "spring.ssl.bundle.watch.file.quiet-period=100ms");

    @TempDir
    Path dir;

    @Test
    void aCertificateWrittenBeforeItsKeyIsRefusedLoggedCountedAndShownInHealthWhileTheOldOneServes(
            CapturedOutput output) throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        KeyMaterial renewed = renewed();
        runner.withPropertyValues(bundle(pem)).run(context -> {
            int port = port(context);
            assertThat(reloads(context)).isEqualTo(new CertificateReloadStatus(0, 0, null, null, null));
            assertThat(health(context).getDetails()).doesNotContainKey("certificateReload");

            // the new certificate lands, its key does not (yet): the bundle pairs it with the old key
            Files.writeString(pem[0], Certificates.toPem(renewed.chain()), StandardCharsets.US_ASCII);
            await().atMost(DEADLINE).until(() -> reloads(context).failed() == 1);

            assertThat(output.getOut())
                    .contains("WARN")
                    .contains("Reloading the TLS material failed, so new handshakes still get the certificate 'CN="
                            + "localhost'")
                    .contains("SSL bundle 'web'")
                    .contains("does not match the certificate");
            assertServes(port, TestHttps.SERVER);
            CertificateReloadStatus failed = reloads(context);
            assertThat(failed.succeeded()).isZero();
            assertThat(failed.lastReloadFailed()).isTrue();
            assertThat(failed.lastFailureReason())
                    .startsWith("SSL bundle 'web': ")
                    .contains("does not match");
            Health health = health(context);
            assertThat(health.getStatus()).as("the server still serves").isEqualTo(Status.UP);
            assertThat(health.getDetails().get("certificateReload"))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("succeeded", 0L)
                    .containsEntry("failed", 1L)
                    .containsEntry("lastReloadFailed", true)
                    .containsKey("lastFailure")
                    .containsEntry("lastFailureReason", failed.lastFailureReason());
            MetricsEndpoint metrics = context.getBean(MetricsEndpoint.class);
            assertThat(read(metrics, "httpsd.ssl.reloads", COUNT, "result:failure"))
                    .isEqualTo(1.0);
            assertThat(read(metrics, "httpsd.ssl.reloads", COUNT, "result:success"))
                    .isEqualTo(0.0);

            // the key follows: the pair is whole again
            Files.writeString(pem[1], Certificates.toPem(renewed.privateKey()), StandardCharsets.US_ASCII);
            await().atMost(DEADLINE).until(() -> reloads(context).succeeded() == 1);
            assertServes(port, renewed);
            assertThat(reloads(context).lastReloadFailed()).isFalse();
            assertThat(health(context).getDetails().get("certificateReload"))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("succeeded", 1L)
                    .containsEntry("failed", 1L)
                    .containsEntry("lastReloadFailed", false);
            assertThat(read(metrics, "httpsd.ssl.reloads", COUNT, "result:success"))
                    .isEqualTo(1.0);
        });
    }

    @Test
    void aBrokenCertificateFileIsRefusedAndTheOldCertificateKeepsServing(CapturedOutput output) throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        KeyMaterial renewed = renewed();
        runner.withPropertyValues(bundle(pem)).run(context -> {
            int port = port(context);
            Files.writeString(pem[0], "this is not a certificate\n", StandardCharsets.US_ASCII);
            await().atMost(DEADLINE).until(() -> reloads(context).failed() == 1);

            assertThat(output.getOut())
                    .contains("Reloading the TLS material failed")
                    .contains("SSL bundle 'web': Unable to create key store");
            assertThat(reloads(context).lastReloadFailed()).isTrue();
            assertServes(port, TestHttps.SERVER);

            Certificates.writePem(renewed, pem[0], pem[1]);
            await().atMost(DEADLINE).until(() -> reloads(context).succeeded() == 1);
            assertServes(port, renewed);
            assertThat(reloads(context).lastReloadFailed()).isFalse();
        });
    }

    @Test
    void aHalfWrittenCertificateIsNeverPresentedAndTheCompletedOneIs(CapturedOutput output) throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        KeyMaterial renewed = renewed();
        String whole = Certificates.toPem(renewed.chain());
        runner.withPropertyValues(bundle(pem)).run(context -> {
            int port = port(context);
            // a copy interrupted half way, for longer than the watcher's quiet period
            Files.writeString(pem[0], whole.substring(0, whole.length() / 2), StandardCharsets.US_ASCII);
            await().atMost(DEADLINE).until(() -> reloads(context).failed() == 1);
            assertThat(output.getOut()).contains("Reloading the TLS material failed");
            assertServes(port, TestHttps.SERVER);

            Files.writeString(pem[1], Certificates.toPem(renewed.privateKey()), StandardCharsets.US_ASCII);
            Files.writeString(pem[0], whole, StandardCharsets.US_ASCII);
            await().atMost(DEADLINE).until(() -> !reloads(context).lastReloadFailed());
            assertServes(port, renewed);
        });
    }

    @Test
    void aKeyFileThatCannotBeReadIsRefusedNamedAndTheOldCertificateKeepsServing(CapturedOutput output)
            throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        KeyMaterial renewed = renewed();
        runner.withPropertyValues(bundle(pem)).run(context -> {
            int port = port(context);
            // a directory where the key file was: unreadable even to root (these tests run as root,
            // where chmod 000 does not stop reads)
            Files.delete(pem[1]);
            Files.createDirectory(pem[1]);
            await().atMost(DEADLINE).until(() -> reloads(context).failed() >= 1);

            assertThat(output.getOut())
                    .contains("Reloading the TLS material failed, so new handshakes still get the certificate 'CN="
                            + "localhost'")
                    .contains("SSL bundle 'web'")
                    .contains(pem[1].toString());
            assertThat(reloads(context).lastReloadFailed()).isTrue();
            assertThat(reloads(context).lastFailureReason()).contains(pem[1].toString());
            assertThat(health(context).getDetails().get("certificateReload"))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("lastReloadFailed", true);
            assertThat(read(context.getBean(MetricsEndpoint.class), "httpsd.ssl.reloads", COUNT, "result:failure"))
                    .isPositive();
            assertServes(port, TestHttps.SERVER);

            Files.delete(pem[1]);
            Certificates.writePem(renewed, pem[0], pem[1]);
            await().atMost(DEADLINE).until(() -> !reloads(context).lastReloadFailed());
            assertServes(port, renewed);
        });
    }

    /** A new client (full handshake) is shown {@code expected} and its request is answered. */
    private static void assertServes(int port, KeyMaterial expected) throws Exception {
        SSLContext client = TestHttps.clientContext(null);
        try (SSLSocket socket = TestHttps.connect(client, port)) {
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(expected.certificate());
        }
        assertThat(TestHttps.fetch(client, port, "/nothing").status())
                .as("a request over a verified connection is answered")
                .isEqualTo(404);
    }

    private static int port(AssertableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty(HttpsServerLifecycle.PORT_PROPERTY));
    }

    private static CertificateReloadStatus reloads(AssertableApplicationContext context) {
        return context.getBean(HttpsServerLifecycle.class).certificateReloads();
    }

    private static Health health(AssertableApplicationContext context) {
        return context.getBean(HttpsServerHealthIndicator.class).health(true);
    }

    private static String[] bundle(Path[] pem) {
        return new String[] {
            "spring.ssl.bundle.pem.web.keystore.certificate=" + pem[0],
            "spring.ssl.bundle.pem.web.keystore.private-key=" + pem[1],
            "spring.ssl.bundle.pem.web.reload-on-update=true",
            "https-server.ssl.bundle=web"
        };
    }

    private static KeyMaterial renewed() {
        return TestHttps.CA.issueServer("localhost", Duration.ofDays(30), Certificates.DEVELOPMENT_NAMES);
    }
}
