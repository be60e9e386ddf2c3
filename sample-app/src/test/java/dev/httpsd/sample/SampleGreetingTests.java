package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.LocalHttpsServerPort;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.assertj.RestTestClientResponse;

/**
 * The sample's greeting endpoints over HTTPS, on a free port with the test certificate
 * (https-server-test): /, /hello, /async, /whoami.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleGreetingTests {

    @Autowired
    RestTestClient client;

    @Autowired
    LocalHttpsServer server;

    @LocalHttpsServerPort
    int port;

    @Test
    void rootAnswersHelloSecureWorldAsHtml() {
        client.get()
                .uri("/")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Content-Type", "text/html")
                .expectBody(String.class)
                .isEqualTo("<h1>Hello Secure World!</h1>");
    }

    @Test
    void rootTellsBrowsersNotToSniffFrameOrLoadAnything() {
        client.get()
                .uri("/")
                .exchange()
                .expectHeader()
                .valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader()
                .valueEquals("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }

    @Test
    void everyHttpsResponseTellsBrowsersToKeepToHttpsForAnHour() {
        client.get().uri("/").exchange().expectHeader().valueEquals("Strict-Transport-Security", "max-age=3600");
        client.get()
                .uri("/no-such-page")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .valueEquals("Strict-Transport-Security", "max-age=3600");
    }

    @Test
    void helloGreetsByNameWithTheGreetingHeaderAndSetsACustomHeader() {
        RestTestClientResponse response = RestTestClientResponse.from(client.get()
                .uri("/hello?name={name}", "Ada Lovelace")
                .header("X-Greeting", "Bonjour")
                .exchange());
        assertThat(response).hasStatusOk();
        assertThat(response).hasHeader("Custom-Header-1", "Custom-Value-1");
        assertThat(response).hasHeader("Content-Type", "text/plain; charset=utf-8");
        assertThat(response).bodyText().isEqualTo("Bonjour, Ada Lovelace!\n");
    }

    @Test
    void helloWithoutNameOrGreetingSaysHelloWorld() {
        client.get().uri("/hello").exchange().expectBody(String.class).isEqualTo("Hello, World!\n");
    }

    @Test
    void asyncIsFinishedOnAnAsyncWorkerThread() {
        client.get()
                .uri("/async")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).matches("Hello from async-worker-\\d+ \\(session \\d+\\)\n"));
    }

    @Test
    void whoamiDescribesTheTlsSession() {
        client.get()
                .uri("/whoami")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Content-Type", "application/json")
                .expectBody()
                .jsonPath("$.sessionId")
                .value(Integer.class, id -> assertThat(id).isPositive())
                .jsonPath("$.remoteAddress")
                .value(String.class, address -> assertThat(address).contains("127.0.0.1"))
                // no PROXY protocol and no forwarded headers by default: the client is the peer
                .jsonPath("$.proxiedFrom")
                .isEmpty()
                .jsonPath("$.clientAddress")
                .isEqualTo("127.0.0.1")
                .jsonPath("$.proxies")
                .isEmpty()
                .jsonPath("$.scheme")
                .isEqualTo("https")
                .jsonPath("$.host")
                .isEqualTo("localhost")
                .jsonPath("$.port")
                .isEqualTo(port)
                .jsonPath("$.protocol")
                .isEqualTo("TLSv1.3")
                .jsonPath("$.cipherSuite")
                .value(String.class, suite -> assertThat(suite).startsWith("TLS_"))
                .jsonPath("$.sni")
                .isEqualTo("localhost")
                // HTTP/2 is on by default: the test client asks for h2 first
                .jsonPath("$.alpn")
                .isEqualTo("h2")
                .jsonPath("$.httpProtocol")
                .isEqualTo("HTTP/2.0")
                .jsonPath("$.clientCertificate")
                .isEmpty();
    }

    @Test
    void unknownPathIsNotFound() {
        client.get().uri("/nothing-here").exchange().expectStatus().isNotFound();
    }

    @Test
    void theServerListensOnAFreePortWithTheTestCertificate() throws Exception {
        assertThat(port).isPositive().isNotEqualTo(8443);
        assertThat(server.uri("/")).hasToString("https://localhost:" + port + "/");
        assertThat(server.get("/hello").body()).isEqualTo("Hello, World!\n");
    }
}
