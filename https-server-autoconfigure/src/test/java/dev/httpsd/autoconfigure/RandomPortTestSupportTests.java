package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.tls.HttpsServerEvent;
import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.LocalHttpsServerInsecurePort;
import dev.httpsd.test.LocalHttpsServerPort;
import dev.httpsd.test.RawHttpConnection;
import dev.httpsd.test.RecordServerEvents;
import dev.httpsd.test.ServerEventRecorder;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.core.env.Environment;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * https-server-test under RANDOM_PORT, on an application configured with fixed ports and the
 * development certificate: every listener on a free port, the context's test certificate served,
 * the ports injected, the RestTestClient bean ready, server events recorded.
 */
@SpringBootTest(
        classes = TestSupportApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = TestSupportApplication.CONFIG)
@RecordServerEvents
class RandomPortTestSupportTests {

    @LocalHttpsServerPort
    int port;

    @LocalHttpsServerInsecurePort
    int insecurePort;

    @LocalManagementPort
    int managementPort;

    @Autowired
    LocalHttpsServer server;

    @Autowired
    RestTestClient client;

    @Autowired
    ServerEventRecorder events;

    @Autowired
    HttpsServerLifecycle lifecycle;

    @Autowired
    Environment environment;

    @Test
    void everyListenerIsOnAFreePortInsteadOfTheConfiguredOne() {
        assertThat(port)
                .isPositive()
                .isNotEqualTo(8443)
                .isEqualTo(lifecycle.server().port());
        assertThat(insecurePort).isPositive().isNotEqualTo(8880);
        assertThat(managementPort).isPositive().isNotEqualTo(8081).isNotIn(port, insecurePort);
        assertThat(server.port()).isEqualTo(port);
        assertThat(server.insecurePort()).hasValue(insecurePort);
    }

    @Test
    void theRestTestClientBeanTrustsTheServerAndKnowsItsPort() {
        client.get()
                .uri("/hello?name={name}", "Ada Lovelace")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo("Hello Ada Lovelace");
    }

    @Test
    void theServerPresentsTheContextsTestCertificateNotTheDevelopmentOne() throws Exception {
        X509Certificate presented = TestHttps.presentedCertificate(port, "localhost");
        assertThat(presented).isEqualTo(server.certificates().server().certificate());
        assertThat(presented.getIssuerX500Principal())
                .isEqualTo(server.certificates().caCertificate().getSubjectX500Principal());
        assertThat(lifecycle.usesDevelopmentCertificate()).isFalse();
        assertThat(Path.of(environment.getRequiredProperty("https-server.ssl.dev-certificate.directory")))
                .as("anything asking for the development certificate writes it into the temporary directory")
                .startsWithRaw(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void theRedirectListenerSendsPlainHttpToTheHttpsPort() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(insecurePort)) {
            RawHttpConnection.Response redirect =
                    connection.exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(redirect.status()).isBetween(301, 308);
            assertThat(redirect.header("location")).isEqualTo("https://localhost:" + port + "/hello");
        }
    }

    @Test
    void eachTestMethodStartsWithAnEmptyRecorderThatHearsBothFamiliesInOrder() throws Exception {
        assertThat(events.events(HttpServerEvent.Start.class))
                .as("START came before this method")
                .isEmpty();
        try (RawHttpConnection connection = new RawHttpConnection(server.connect())) {
            assertThat(connection
                            .exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .bodyText())
                    .isEqualTo("Hello World");
        }
        HttpsServerEvent.Disconnected closed = events.await(HttpsServerEvent.Disconnected.class);
        assertThat(events)
                .forSession(closed.sessionId())
                .containsExactlyTypes(
                        HttpsServerEvent.OnConnected.class,
                        HttpServerEvent.OnConnected.class,
                        HttpsServerEvent.OnData.class,
                        HttpServerEvent.OnHeader.class,
                        HttpsServerEvent.SentData.class,
                        HttpServerEvent.HeadersSent.class,
                        HttpServerEvent.SentData.class,
                        HttpServerEvent.Disconnected.class,
                        HttpsServerEvent.Disconnected.class);
    }
}
