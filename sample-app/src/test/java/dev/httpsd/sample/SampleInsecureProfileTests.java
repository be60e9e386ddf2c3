package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.test.LocalHttpsServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The {@code insecure} profile serves the same endpoints over plain HTTP, with no TLS at all. */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("insecure")
class SampleInsecureProfileTests {

    @Autowired
    RestTestClient client;

    @Autowired
    LocalHttpsServer server;

    @Test
    void rootIsServedOverPlainHttp() {
        assertThat(server.uri("/")).hasScheme("http");
        client.get()
                .uri("/")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo("<h1>Hello Secure World!</h1>");
    }

    @Test
    void whoamiReportsNoTlsSession() {
        client.get()
                .uri("/whoami")
                .exchange()
                .expectBody()
                .jsonPath("$.protocol")
                .isEmpty()
                .jsonPath("$.cipherSuite")
                .isEmpty();
    }
}
