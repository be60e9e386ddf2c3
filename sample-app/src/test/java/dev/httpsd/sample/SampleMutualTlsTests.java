package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.MutualTls;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The sample under {@code @MutualTls}: the server requires a client certificate from the test CA,
 * the provided clients present one, and /whoami names it.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@MutualTls
class SampleMutualTlsTests {

    @Autowired
    RestTestClient client;

    @Autowired
    LocalHttpsServer server;

    @Test
    void whoamiNamesTheTestClientCertificate() {
        client.get()
                .uri("/whoami")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.clientCertificate")
                .isEqualTo("CN=httpsd test client");
    }

    @Test
    void aClientWithoutACertificateIsRefused() {
        try (HttpClient anonymous = server.httpClient(server.sslContextWithoutClientCertificate())) {
            assertThatExceptionOfType(IOException.class)
                    .isThrownBy(() -> anonymous.send(server.request("/").build(), BodyHandlers.ofString()));
        }
        assertThat(server.mutualTls()).isTrue();
    }
}
