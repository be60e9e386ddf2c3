package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.RawClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code PUT /ctrl} unregisters /hello and /echo with {@code 0} and restores them with {@code 1};
 * meanwhile the custom 404 handler keeps the connection for /hello and closes it for /echo, as
 * ESP's http_server/simple example does. Each test starts with both unregistered.
 */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.NONE,
        properties = "https-server.port-secure=0")
@DirtiesContext
class SampleControlTests {

    private static final String HELLO = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final String ECHO = "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nping";

    @TempDir
    static Path devCertificates;

    @Value("${local.https-server.port}")
    int port;

    private SampleHttps https;

    @DynamicPropertySource
    static void developmentCertificateDirectory(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.dev-certificate.directory", () -> devCertificates.toString());
    }

    @BeforeEach
    void unregisterHelloAndEcho() throws Exception {
        https = SampleHttps.trustingDevelopmentCertificate(port, devCertificates);
        var response = control("0");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("/hello and /echo unregistered\n");
    }

    @AfterEach
    void restoreHelloAndEcho() throws Exception {
        control("1");
    }

    @Test
    void helloIsNotFoundWithAnExplanationAndTheConnectionIsKept() throws Exception {
        try (RawClient client = new RawClient(https.socket())) {
            RawClient.Response notFound = client.exchange(HELLO);
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.bodyText()).isEqualTo("/hello URI is not available");
            RawClient.Response next = client.exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(next.status()).as("same connection, next request").isEqualTo(200);
        }
    }

    @Test
    void echoIsNotFoundWithAnExplanationAndTheConnectionIsClosed() throws Exception {
        try (RawClient client = new RawClient(https.socket())) {
            RawClient.Response notFound = client.exchange(ECHO);
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.bodyText()).isEqualTo("/echo URI is not available");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void otherUnknownPathsKeepTheDefaultNotFound() throws Exception {
        try (RawClient client = new RawClient(https.socket())) {
            RawClient.Response notFound = client.exchange("GET /other HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.bodyText()).doesNotContain("URI is not available");
        }
    }

    @Test
    void oneRestoresHelloAndEcho() throws Exception {
        var restored = control("1");
        assertThat(restored.statusCode()).isEqualTo(200);
        assertThat(restored.body()).isEqualTo("/hello and /echo registered\n");
        try (RawClient client = new RawClient(https.socket())) {
            assertThat(client.exchange(HELLO).bodyText()).isEqualTo("Hello, World!\n");
            assertThat(client.exchange(ECHO).bodyText()).isEqualTo("ping");
        }
    }

    @Test
    void unknownCommandIsABadRequestAndChangesNothing() throws Exception {
        var response = control("2");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Send 0 to unregister /hello and /echo, 1 to restore them");
        assertThat(https.get("/hello").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> control(String command) throws Exception {
        try (HttpClient client = https.client()) {
            return client.send(
                    https.request("/ctrl").PUT(BodyPublishers.ofString(command)).build(), BodyHandlers.ofString());
        }
    }
}
