package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.Await;
import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Client-initiated renegotiation (TLS 1.2; TLS 1.3 has none) is refused: JSSE is asked to
 * (the {@code jdk.tls.rejectClientInitiatedRenegotiation} property, read once per JVM, which
 * gives the client a handshake_failure alert), and the TLS channel refuses it itself where JSSE
 * was left to allow it.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
@ExtendWith(HostileSuiteRecord.class)
class RenegotiationTest {

    @Parameter
    TlsEngine engine;

    private static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @Test
    void httpsServerAsksJsseToRejectClientInitiatedRenegotiation() throws Exception {
        // set when a server starts (not when the class loads): true whichever test runs first
        try (TlsTestServer server = TlsTestServer.start(engine)) {
            assertThat(System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation"))
                    .isEqualTo("true");
        }
    }

    @Test
    void opensslRenegotiationIsRefusedAndTheServerReportsIt() throws Exception {
        EventRecorder events = new EventRecorder();
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.httpd(
                                HttpServerConfig.builder().eventListener(events).build()));
                AfterCaseCheck check = AfterCaseCheck.before(server.https())) {
            try (ExternalProcess openssl = ExternalProcess.start(OpenSsl.sClientCommand(server.port(), "-tls1_2"))) {
                openssl.write(REQUEST);
                assertThat(openssl.awaitOutput("protocol=TLSv1.2", TlsFixtures.PATIENCE))
                        .as(openssl.output())
                        .isTrue();

                openssl.write("R\n");

                // JSSE refuses with handshake_failure, BoringSSL with no_renegotiation
                String alert = engine == TlsEngine.JDK ? "alert handshake failure" : "alert no renegotiation";
                assertThat(openssl.awaitOutput(
                                out -> out.contains("RENEGOTIATING") && out.contains(alert), TlsFixtures.PATIENCE))
                        .as(openssl.output())
                        .isTrue();
                HttpsServerEvent.Error error = (HttpsServerEvent.Error)
                        events.await(e -> e instanceof HttpsServerEvent.Error, TlsFixtures.PATIENCE);
                assertThat(error.error().message()).containsIgnoringCase("renegotiation");
                events.await("HTTPS DISCONNECTED", error.sessionId(), TlsFixtures.PATIENCE);
                assertThat(openssl.output().split("protocol=TLSv1.2", -1)).hasSize(2);
            }
            check.assertNobodyNoticed();
        }
    }

    @Test
    void jsseRenegotiationIsRefused() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine);
                AfterCaseCheck check = AfterCaseCheck.before(server.https())) {
            try (SSLSocket socket = TlsFixtures.connect(
                            TlsFixtures.clientContext(null), server.port(), TlsFixtures.protocols("TLSv1.2"));
                    RawClient client = new RawClient(socket)) {
                assertThat(client.exchange(REQUEST).bodyText()).startsWith("protocol=TLSv1.2");

                assertThatThrownBy(() -> {
                            socket.startHandshake();
                            client.exchange(REQUEST);
                        })
                        .isInstanceOf(IOException.class);
            }
            check.assertNobodyNoticed();
        }
    }

    @Test
    void theServerRefusesRenegotiationEvenWhereJsseWasToldToAllowIt() throws Exception {
        // JSSE reads its property once per JVM, so the server's own refusal is proven in a JVM of
        // its own where the property says "allow"
        String java = ProcessHandle.current().info().command().orElse("java");
        ExternalProcess.Result result = ExternalProcess.run(
                Duration.ofSeconds(60),
                null,
                List.of(
                        java,
                        "-Djdk.tls.rejectClientInitiatedRenegotiation=false",
                        "-cp",
                        System.getProperty("java.class.path"),
                        RenegotiationProbe.class.getName()));

        assertThat(result.output())
                .contains("property=false")
                .contains("REFUSED: client-initiated renegotiation refused");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void manyRefusedRenegotiationsInARowCostOtherSessionsNothing() throws Exception {
        int attempts = 20;
        EventRecorder events = new EventRecorder();
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.httpd(
                                HttpServerConfig.builder().eventListener(events).build()));
                AfterCaseCheck check = AfterCaseCheck.before(server.https())) {
            RawClient bystander = check.bystander();
            SSLContext context = TlsFixtures.clientContext(null);
            for (int i = 0; i < attempts; i++) {
                try (SSLSocket socket = TlsFixtures.connect(context, server.port(), TlsFixtures.protocols("TLSv1.2"));
                        RawClient client = new RawClient(socket)) {
                    assertThat(client.exchange(REQUEST).status()).isEqualTo(200);

                    assertThatThrownBy(() -> {
                                socket.startHandshake();
                                client.exchange(REQUEST);
                            })
                            .isInstanceOf(IOException.class);
                }
                // the kept-alive session is served between any two attempts
                assertThat(bystander.exchange(REQUEST).status()).isEqualTo(200);
            }

            events.await(e -> events.https(HttpsServerEvent.Error.class).size() >= attempts, TlsFixtures.PATIENCE);
            assertThat(events.https(HttpsServerEvent.Error.class))
                    .hasSize(attempts)
                    .allSatisfy(error -> assertThat(error.error().message()).containsIgnoringCase("renegotiation"));
            // a request is counted once its response is out, which can be after the client read it
            Await.until(
                    "every request counted",
                    () -> server.https().httpServer().statistics().requests() == 2L * attempts + 1);
            check.assertNobodyNoticed();
        }
    }

    @Test
    void aTls13ClientAskingForAKeyUpdateKeepsItsConnection() throws Exception {
        // TLS 1.3 replaced renegotiation by key updates, which are harmless and must keep working
        try (TlsTestServer server = TlsTestServer.start(engine);
                AfterCaseCheck check = AfterCaseCheck.before(server.https())) {
            try (ExternalProcess openssl = ExternalProcess.start(OpenSsl.sClientCommand(server.port(), "-tls1_3"))) {
                openssl.write(REQUEST);
                assertThat(openssl.awaitOutput("protocol=TLSv1.3", TlsFixtures.PATIENCE))
                        .as(openssl.output())
                        .isTrue();

                openssl.write("K\n");
                assertThat(openssl.awaitOutput("KEYUPDATE", TlsFixtures.PATIENCE))
                        .isTrue();
                openssl.write(REQUEST);

                assertThat(openssl.awaitOutput(
                                out -> out.split("protocol=TLSv1.3", -1).length == 3, TlsFixtures.PATIENCE))
                        .as(openssl.output())
                        .isTrue();
            }
            check.assertNobodyNoticed();
        }
    }
}
