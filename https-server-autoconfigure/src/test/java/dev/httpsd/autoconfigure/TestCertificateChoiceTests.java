package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.httpsd.server.tls.Certificates;
import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.MutualTls;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Which certificate a test context serves: the application's own material when it configures
 * some, the development certificate when the test itself switches it on, and under {@code
 * MutualTls} the test CA trusted for client certificates.
 */
class TestCertificateChoiceTests {

    @Nested
    @SpringBootTest(
            classes = TestSupportApplication.class,
            webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = TestSupportApplication.CONFIG)
    class WithTheApplicationsOwnMaterial {

        @Autowired
        LocalHttpsServer server;

        @DynamicPropertySource
        static void material(DynamicPropertyRegistry registry) {
            registry.add("https-server.ssl.certificate", () -> Certificates.toPem(TestHttps.SERVER.chain()));
            registry.add("https-server.ssl.private-key", () -> Certificates.toPem(TestHttps.SERVER.privateKey()));
        }

        @Test
        void theConfiguredCertificateIsServedAndAClientTrustingItsCaIsServed() throws Exception {
            assertThat(TestHttps.presentedCertificate(server.port(), "localhost"))
                    .isEqualTo(TestHttps.SERVER.certificate());
            try (HttpClient client = server.httpClient(TestHttps.clientContext(null))) {
                assertThat(client.send(server.request("/hello").build(), BodyHandlers.ofString())
                                .body())
                        .isEqualTo("Hello World");
            }
        }
    }

    @Nested
    @SpringBootTest(
            classes = TestSupportApplication.class,
            webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = {TestSupportApplication.CONFIG, "https-server.ssl.dev-certificate.enabled=true"})
    class WhenTheTestSwitchesTheDevelopmentCertificateOn {

        @TempDir
        static Path devCertificates;

        @Autowired
        HttpsServerLifecycle lifecycle;

        @DynamicPropertySource
        static void directory(DynamicPropertyRegistry registry) {
            registry.add("https-server.ssl.dev-certificate.directory", () -> devCertificates.toString());
        }

        @Test
        void theDevelopmentCertificateIsServedFromTheTestsDirectory() {
            assertThat(lifecycle.usesDevelopmentCertificate()).isTrue();
            assertThat(devCertificates.resolve("dev-localhost.pem")).exists();
        }
    }

    @Nested
    @SpringBootTest(
            classes = TestSupportApplication.class,
            webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = TestSupportApplication.CONFIG)
    @MutualTls
    class UnderMutualTls {

        @Autowired
        LocalHttpsServer server;

        @Autowired
        RestTestClient client;

        @Test
        void theClientsPresentTheTestClientCertificate() {
            client.get().uri("/client").exchange().expectBody(String.class).isEqualTo("CN=httpsd test client");
        }

        @Test
        void aClientWithoutACertificateIsRefused() {
            try (HttpClient anonymous = server.httpClient(server.sslContextWithoutClientCertificate())) {
                assertThatExceptionOfType(IOException.class)
                        .isThrownBy(
                                () -> anonymous.send(server.request("/hello").build(), BodyHandlers.ofString()));
            }
        }
    }
}
