package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import dev.httpsd.server.tls.TlsSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Mutual TLS configured from properties alone (certificate, key and CA as PEM files): a client
 * with a certificate from the CA gets in, one without a certificate or with a certificate from
 * another CA is refused during the handshake.
 */
@SpringBootTest(
        classes = MutualTlsApplicationTests.Application.class,
        webEnvironment = WebEnvironment.NONE,
        properties = "https-server.port-secure=0")
class MutualTlsApplicationTests {

    @TempDir
    static Path dir;

    @Value("${local.https-server.port}")
    int port;

    @DynamicPropertySource
    static void tlsFiles(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.certificate", () -> write("server.pem", TestHttps.SERVER.chain()));
        registry.add("https-server.ssl.private-key", () -> writeKey("server-key.pem", TestHttps.SERVER));
        registry.add(
                "https-server.ssl.ca-certificate",
                () -> write("ca.pem", java.util.List.of(TestHttps.CA.certificate())));
    }

    @Test
    void clientWithACertificateFromTheCaIsServedAndIdentified() throws Exception {
        try (HttpClient client = TestHttps.client(TestHttps.CLIENT)) {
            var response = TestHttps.get(client, port, "/whoami");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("CN=httpsd test client");
        }
    }

    @Test
    void clientWithoutACertificateIsRefused() throws Exception {
        try (HttpClient client = TestHttps.client(null)) {
            assertThatExceptionOfType(IOException.class).isThrownBy(() -> TestHttps.get(client, port, "/whoami"));
        }
    }

    @Test
    void clientWithACertificateFromAnotherCaIsRefused() throws Exception {
        KeyMaterial stranger =
                Certificates.authority("another CA", Duration.ofDays(1)).issueClient("stranger", Duration.ofDays(1));
        try (HttpClient client = TestHttps.client(stranger)) {
            assertThatExceptionOfType(IOException.class).isThrownBy(() -> TestHttps.get(client, port, "/whoami"));
        }
    }

    private static String write(String name, java.util.List<java.security.cert.X509Certificate> certificates) {
        return writeText(name, Certificates.toPem(certificates));
    }

    private static String writeKey(String name, KeyMaterial material) {
        return writeText(name, Certificates.toPem(material.privateKey()));
    }

    private static String writeText(String name, String pem) {
        try {
            return Files.writeString(dir.resolve(name), pem).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
        @UriMapping(uri = "/whoami")
        String whoami(HttpRequest request) {
            return TlsSession.of(request.session())
                    .map(tls -> tls.peerCertificates()
                            .getFirst()
                            .getSubjectX500Principal()
                            .getName())
                    .orElse("anonymous");
        }
    }
}
