package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.jayway.jsonpath.JsonPath;
import dev.httpsd.server.tls.KeyMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code mtls} profile: {@link MtlsCertificates} creates a CA, a server and a client
 * certificate in {@code sample.mtls.directory}, and the server requires client certificates
 * signed by that CA.
 */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.NONE,
        properties = "https-server.port-secure=0")
@ActiveProfiles("mtls")
class SampleMtlsProfileTests {

    @TempDir
    static Path certificates;

    @Value("${local.https-server.port}")
    int port;

    @DynamicPropertySource
    static void certificateDirectory(DynamicPropertyRegistry registry) {
        registry.add("sample.mtls.directory", () -> certificates.toString());
    }

    @Test
    void clientWithTheGeneratedCertificateIsServedAndIdentified() throws Exception {
        KeyMaterial client = KeyMaterial.fromPemFiles(
                certificates.resolve("client.pem"), certificates.resolve("client-key.pem"), null);
        var response = SampleHttps.trusting(port, ca(), client).get("/whoami");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(response.body(), "$.clientCertificate"))
                .isEqualTo("CN=sample client");
    }

    @Test
    void clientWithoutACertificateIsRefused() throws Exception {
        SampleHttps anonymous = SampleHttps.trusting(port, ca(), null);
        assertThatExceptionOfType(IOException.class).isThrownBy(() -> anonymous.get("/"));
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
