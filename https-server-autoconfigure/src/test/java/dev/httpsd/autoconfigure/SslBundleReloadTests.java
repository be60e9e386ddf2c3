package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.port;
import static dev.httpsd.autoconfigure.TestHttps.presentedCertificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A {@code reload-on-update} SSL bundle whose PEM files are rewritten is picked up by new
 * handshakes without a restart. Spring's file watcher waits for a quiet period (10 s by default)
 * before reloading; the tests shorten it and still allow a generous deadline.
 */
class SslBundleReloadTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0", "spring.ssl.bundle.watch.file.quiet-period=100ms");

    @TempDir
    Path dir;

    @Test
    void rewrittenBundleFilesArePresentedToNewHandshakes() throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        KeyMaterial renewed = renewedLocalhost();
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.web.keystore.certificate=" + pem[0],
                        "spring.ssl.bundle.pem.web.keystore.private-key=" + pem[1],
                        "spring.ssl.bundle.pem.web.reload-on-update=true",
                        "https-server.ssl.bundle=web")
                .run(context -> {
                    assertThat(presentedCertificate(port(context), "localhost"))
                            .isEqualTo(TestHttps.SERVER.certificate());
                    Certificates.writePem(renewed, pem[0], pem[1]);
                    await().atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(() -> assertThat(presentedCertificate(port(context), "localhost"))
                                    .isEqualTo(renewed.certificate()));
                });
    }

    @Test
    void rewrittenServerNameBundleIsPresentedForItsNameOnly() throws Exception {
        KeyMaterial api = apiCertificate();
        KeyMaterial renewedApi = apiCertificate();
        Path[] web = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        Path[] apiPem = TestHttps.writePem(api, dir, "api");
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.web.keystore.certificate=" + web[0],
                        "spring.ssl.bundle.pem.web.keystore.private-key=" + web[1],
                        "spring.ssl.bundle.pem.api.keystore.certificate=" + apiPem[0],
                        "spring.ssl.bundle.pem.api.keystore.private-key=" + apiPem[1],
                        "spring.ssl.bundle.pem.api.reload-on-update=true",
                        "https-server.ssl.bundle=web",
                        "https-server.ssl.server-name-bundles[0].server-name=api.example.test",
                        "https-server.ssl.server-name-bundles[0].bundle=api")
                .run(context -> {
                    assertThat(presentedCertificate(port(context), "api.example.test"))
                            .isEqualTo(api.certificate());
                    Certificates.writePem(renewedApi, apiPem[0], apiPem[1]);
                    await().atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(() -> assertThat(presentedCertificate(port(context), "api.example.test"))
                                    .isEqualTo(renewedApi.certificate()));
                    assertThat(presentedCertificate(port(context), "localhost"))
                            .isEqualTo(TestHttps.SERVER.certificate());
                });
    }

    @Test
    void serverWithOnlyServerNameBundlesReloadsThem() throws Exception {
        KeyMaterial api = apiCertificate();
        KeyMaterial renewedApi = apiCertificate();
        Path[] apiPem = TestHttps.writePem(api, dir, "api");
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.api.keystore.certificate=" + apiPem[0],
                        "spring.ssl.bundle.pem.api.keystore.private-key=" + apiPem[1],
                        "spring.ssl.bundle.pem.api.reload-on-update=true",
                        "https-server.ssl.server-name-bundles[0].server-name=api.example.test",
                        "https-server.ssl.server-name-bundles[0].bundle=api")
                .run(context -> {
                    assertThat(presentedCertificate(port(context), "api.example.test"))
                            .isEqualTo(api.certificate());
                    Certificates.writePem(renewedApi, apiPem[0], apiPem[1]);
                    await().atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(() -> assertThat(presentedCertificate(port(context), "api.example.test"))
                                    .isEqualTo(renewedApi.certificate()));
                });
    }

    private static KeyMaterial renewedLocalhost() {
        return TestHttps.CA.issueServer("localhost", Duration.ofDays(30), Certificates.DEVELOPMENT_NAMES);
    }

    private static KeyMaterial apiCertificate() {
        return TestHttps.CA.issueServer("api.example.test", Duration.ofDays(30), List.of("api.example.test"));
    }
}
