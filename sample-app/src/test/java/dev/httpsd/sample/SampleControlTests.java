package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.RawHttpConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * {@code PUT /ctrl} unregisters /hello and /echo with {@code 0} and restores them with {@code 1};
 * meanwhile the custom 404 handler keeps the connection for /hello and closes it for /echo, as
 * ESP's http_server/simple example does. Each test starts with both unregistered.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SampleControlTests {

    private static final String HELLO = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final String ECHO = "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nping";

    @Autowired
    LocalHttpsServer server;

    @Autowired
    RestTestClient client;

    @BeforeEach
    void unregisterHelloAndEcho() {
        control("0").expectStatus().isOk().expectBody(String.class).isEqualTo("/hello and /echo unregistered\n");
    }

    @AfterEach
    void restoreHelloAndEcho() {
        control("1");
    }

    @Test
    void helloIsNotFoundWithAnExplanationAndTheConnectionIsKept() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.connect())) {
            RawHttpConnection.Response notFound = connection.exchange(HELLO);
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.bodyText()).isEqualTo("/hello URI is not available");
            RawHttpConnection.Response next = connection.exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(next.status()).as("same connection, next request").isEqualTo(200);
        }
    }

    @Test
    void echoIsNotFoundWithAnExplanationAndTheConnectionIsClosed() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.connect())) {
            RawHttpConnection.Response notFound = connection.exchange(ECHO);
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.bodyText()).isEqualTo("/echo URI is not available");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void otherUnknownPathsKeepTheDefaultNotFound() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.connect())) {
            RawHttpConnection.Response notFound = connection.exchange("GET /other HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.bodyText()).doesNotContain("URI is not available");
        }
    }

    @Test
    void oneRestoresHelloAndEcho() throws Exception {
        control("1").expectStatus().isOk().expectBody(String.class).isEqualTo("/hello and /echo registered\n");
        try (RawHttpConnection connection = new RawHttpConnection(server.connect())) {
            assertThat(connection.exchange(HELLO).bodyText()).isEqualTo("Hello, World!\n");
            assertThat(connection.exchange(ECHO).bodyText()).isEqualTo("ping");
        }
    }

    @Test
    void unknownCommandIsABadRequestAndChangesNothing() {
        control("2")
                .expectStatus()
                .isBadRequest()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("Send 0 to unregister /hello and /echo, 1 to restore them"));
        client.get().uri("/hello").exchange().expectStatus().isNotFound();
    }

    private RestTestClient.ResponseSpec control(String command) {
        return client.put().uri("/ctrl").body(command).exchange();
    }
}
