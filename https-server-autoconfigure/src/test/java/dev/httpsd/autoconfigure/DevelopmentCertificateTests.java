package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.port;
import static dev.httpsd.autoconfigure.TestHttps.presentedCertificate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.tls.KeyMaterial;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * With {@code https-server.ssl.dev-certificate.enabled} and no TLS material in SECURE mode a
 * development certificate is served, kept on disk, and announced loudly; without the switch the
 * application refuses to start.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevelopmentCertificateTests {

    private static final String WARNING =
            "No TLS certificate configured: serving a self-signed DEVELOPMENT certificate";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0", "https-server.ssl.dev-certificate.enabled=true");

    @TempDir
    Path dir;

    @Test
    void developmentCertificateIsGeneratedForLocalhostAndServed() {
        runner.withPropertyValues("https-server.ssl.dev-certificate.directory=" + dir)
                .run(context -> {
                    KeyMaterial stored = stored();
                    assertThat(presentedCertificate(port(context), "localhost")).isEqualTo(stored.certificate());
                    assertThat(stored.certificate().getSubjectAlternativeNames())
                            .extracting(name -> (Object) name.get(1))
                            .contains("localhost", "127.0.0.1");
                    try (HttpClient client = HttpClient.newBuilder()
                            .sslContext(TestHttps.clientContext(null, stored.certificate()))
                            .build()) {
                        assertThat(TestHttps.get(client, port(context), "/").statusCode())
                                .isEqualTo(404);
                    }
                });
    }

    @Test
    void developmentCertificateIsTheSameAfterARestart() {
        AtomicReference<X509Certificate> first = new AtomicReference<>();
        runner.withPropertyValues("https-server.ssl.dev-certificate.directory=" + dir)
                .run(context -> first.set(presentedCertificate(port(context), "localhost")));
        runner.withPropertyValues("https-server.ssl.dev-certificate.directory=" + dir)
                .run(context -> assertThat(presentedCertificate(port(context), "localhost"))
                        .isEqualTo(first.get()));
    }

    @Test
    void anotherDirectoryGetsAnotherCertificate() {
        AtomicReference<X509Certificate> first = new AtomicReference<>();
        runner.withPropertyValues("https-server.ssl.dev-certificate.directory=" + dir.resolve("one"))
                .run(context -> first.set(presentedCertificate(port(context), "localhost")));
        runner.withPropertyValues("https-server.ssl.dev-certificate.directory=" + dir.resolve("two"))
                .run(context -> assertThat(presentedCertificate(port(context), "localhost"))
                        .isNotEqualTo(first.get()));
    }

    @Test
    void developmentCertificateIsAnnouncedWithAWarningNamingTheFile(CapturedOutput output) {
        runner.withPropertyValues("https-server.ssl.dev-certificate.directory=" + dir)
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output.getOut() + output.getErr())
                .contains("WARN")
                .contains(WARNING)
                .contains(dir.resolve("dev-localhost.pem").toString())
                .contains("https-server.ssl.dev-certificate.enabled=true")
                .contains("Never in production")
                .contains("https-server.ssl.certificate");
    }

    @Test
    void configuredMaterialMeansNoDevelopmentCertificateAndNoWarning(CapturedOutput output) {
        runner.withPropertyValues(TestHttps.inlineServerMaterial())
                .withPropertyValues("https-server.ssl.dev-certificate.directory=" + dir)
                .run(context -> assertThat(presentedCertificate(port(context), "localhost"))
                        .isEqualTo(TestHttps.SERVER.certificate()));
        assertThat(output.getOut() + output.getErr()).doesNotContain(WARNING);
        assertThat(dir.resolve("dev-localhost.pem")).doesNotExist();
    }

    @Test
    void insecureModeNeedsNoDevelopmentCertificate() {
        runner.withPropertyValues(
                        "https-server.transport-mode=insecure",
                        "https-server.port-insecure=0",
                        "https-server.ssl.dev-certificate.directory=" + dir)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(dir.resolve("dev-localhost.pem")).doesNotExist();
                });
    }

    @Test
    void withoutTheSwitchNoMaterialMeansNoStartAndAnAnalysisNamingEveryWayToConfigureOne() {
        runner.withPropertyValues(
                        "https-server.ssl.dev-certificate.enabled=false",
                        "https-server.ssl.dev-certificate.directory=" + dir)
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new TlsMaterialFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("no server certificate is configured");
                    assertThat(analysis.getAction())
                            .contains("https-server.ssl.certificate")
                            .contains("https-server.ssl.private-key")
                            .contains("https-server.ssl.bundle")
                            .contains("https-server.ssl.dev-certificate.enabled=true");
                    assertThat(dir.resolve("dev-localhost.pem")).doesNotExist();
                });
    }

    @Test
    void theSwitchIsOffByDefault() {
        assertThat(new HttpsServerProperties().getSsl().getDevCertificate().isEnabled())
                .isFalse();
    }

    @Test
    void aCertificateFromACustomizerNeedsNoDevelopmentCertificate() {
        runner.withPropertyValues("https-server.ssl.dev-certificate.directory=" + dir)
                .withBean(HttpsServerCustomizer.class, () -> new HttpsServerCustomizer() {
                    @Override
                    public void customize(dev.httpsd.server.tls.HttpsServerConfig.Builder config) {
                        config.serverKey(TestHttps.SERVER);
                    }
                })
                .run(context -> {
                    assertThat(presentedCertificate(port(context), "localhost"))
                            .isEqualTo(TestHttps.SERVER.certificate());
                    assertThat(context.getBean(HttpsServerLifecycle.class).usesDevelopmentCertificate())
                            .isFalse();
                    assertThat(dir.resolve("dev-localhost.pem")).doesNotExist();
                });
    }

    @Test
    void theLifecycleTellsWhenTheDevelopmentCertificateIsServed() {
        runner.withPropertyValues("https-server.ssl.dev-certificate.directory=" + dir)
                .run(context -> assertThat(
                                context.getBean(HttpsServerLifecycle.class).usesDevelopmentCertificate())
                        .isTrue());
    }

    private KeyMaterial stored() {
        return KeyMaterial.fromPemFiles(dir.resolve("dev-localhost.pem"), dir.resolve("dev-localhost-key.pem"), null);
    }
}
