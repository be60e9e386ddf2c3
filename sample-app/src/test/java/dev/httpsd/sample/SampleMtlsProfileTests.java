package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.jayway.jsonpath.JsonPath;
import dev.httpsd.server.tls.KeyMaterial;
import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code mtls} profile: {@link MtlsCertificates} creates a CA, a server and a client
 * certificate in {@code sample.mtls.directory}, and the server requires client certificates
 * signed by that CA. The profile's certificates are the application's own TLS material, so the
 * test certificate of https-server-test stands back and the clients trust the profile's CA.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("mtls")
class SampleMtlsProfileTests {

    @TempDir
    static Path certificates;

    @Autowired
    LocalHttpsServer server;

    @DynamicPropertySource
    static void certificateDirectory(DynamicPropertyRegistry registry) {
        registry.add("sample.mtls.directory", () -> certificates.toString());
    }

    @Test
    void clientWithTheGeneratedCertificateIsServedAndIdentified() throws Exception {
        KeyMaterial client = KeyMaterial.fromPemFiles(
                certificates.resolve("client.pem"), certificates.resolve("client-key.pem"), null);
        HttpResponse<String> response;
        try (HttpClient https = server.httpClient(TestCertificates.clientContext(client, ca()))) {
            response = https.send(server.request("/whoami").build(), BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(response.body(), "$.clientCertificate"))
                .isEqualTo("CN=sample client");
    }

    @Test
    void clientWithoutACertificateIsRefused() throws Exception {
        try (HttpClient anonymous = server.httpClient(TestCertificates.clientContext(null, ca()))) {
            assertThatExceptionOfType(IOException.class)
                    .isThrownBy(() -> anonymous.send(server.request("/").build(), BodyHandlers.ofString()));
        }
    }

    @Test
    void serverPresentsTheGeneratedServerCertificate() throws Exception {
        KeyMaterial server = KeyMaterial.fromPemFiles(
                certificates.resolve("server.pem"), certificates.resolve("server-key.pem"), null);
        assertThat(server.certificate().getIssuerX500Principal()).isEqualTo(ca().getSubjectX500Principal());
        assertThat(certificates.resolve("dev-localhost.pem")).doesNotExist();
    }

    private static X509Certificate ca() throws Exception {
        try (InputStream in = Files.newInputStream(certificates.resolve("ca.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
