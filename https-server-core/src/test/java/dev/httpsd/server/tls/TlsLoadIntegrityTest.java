package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.Await;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.LoadGenerator;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.ResourceBaseline;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code LoadIntegrityTest} over TLS: every request gets exactly one complete, correct response
 * through the TLS transport, with a handshake for every new connection, and a graceful stop under
 * load cuts no response (close_notify comes after the last byte).
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class TlsLoadIntegrityTest {

    @Parameter
    TlsEngine engine;

    private TlsTestServer server;
    private SSLContext client;
    private LoadGenerator.Ledger ledger;
    private ResourceBaseline baseline;

    @BeforeEach
    void start() throws Exception {
        client = TlsFixtures.clientContext(null);
        server = TlsTestServer.start(engine, b -> b.httpd(h -> h.bindAddress(InetAddress.getLoopbackAddress())));
        ledger = LoadGenerator.install(http());
        assertThat(TlsFixtures.fetch(client, server.port(), "/tls", p -> {}).status())
                .isEqualTo(200);
        Await.until("the warm-up session is gone", () -> http().openSessions() == 0);
        baseline = ResourceBaseline.record(http());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpServer http() {
        return server.https().httpServer();
    }

    private Socket connect() throws java.io.IOException {
        return TlsFixtures.connect(client, server.port());
    }

    @Test
    void everyRequestOverTlsGetsExactlyOneCompleteCorrectResponse() throws Exception {
        LoadGenerator.Settings settings = LoadGenerator.settings(13, false, Duration.ofSeconds(8));

        LoadGenerator.Result result = LoadGenerator.start(this::connect, settings)
                .await(settings.duration().plusSeconds(60));

        LoadGenerator.assertAllAnswered(result, ledger);
        baseline.awaitReturn();
        LoadGenerator.report("TLS", result, http().statistics());
        LoadGenerator.record("c TLS " + engine, "TLS, " + engine + " (`TlsLoadIntegrityTest`)", settings, false);
    }

    @Test
    void aGracefulStopUnderTlsLoadFinishesEveryRequestItStartedAndCutsNone() throws Exception {
        LoadGenerator.Settings settings = LoadGenerator.settings(17, true, Duration.ofSeconds(40));
        LoadGenerator load = LoadGenerator.start(this::connect, settings);
        Await.until("the load is under way", () -> load.answered() >= 100);
        try (SSLSocket socket = TlsFixtures.connect(client, server.port());
                RawClient held = new RawClient(socket)) {
            held.send("GET /load/held HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(ledger.awaitHeld(Duration.ofSeconds(10))).isTrue();

            AtomicBoolean clean = new AtomicBoolean();
            Thread stopper =
                    Thread.ofVirtual().start(() -> clean.set(server.https().stop(Duration.ofSeconds(20))));
            Await.until("the server refuses new connections", () -> refuses(server.port()));
            ledger.releaseHeld();
            RawClient.Response heldResponse = held.read();
            LoadGenerator.Result result = load.await(Duration.ofSeconds(60));
            assertThat(stopper.join(Duration.ofSeconds(30))).isTrue();

            assertThat(heldResponse.bodyText()).isEqualTo("held");
            assertThat(heldResponse.header("Connection")).isEqualTo("close");
            assertThat(held.closedByServer()).isTrue();
            assertThat(clean).as("every session ended within the grace period").isTrue();
            LoadGenerator.assertStoppedCleanly(result, ledger, settings);
            LoadGenerator.report("TLS, graceful stop", result, http().statistics());
        }
        baseline.awaitReturn();
        LoadGenerator.record(
                "d TLS " + engine + ", stop",
                "TLS, " + engine + ", graceful stop (`TlsLoadIntegrityTest`)",
                settings,
                true);
    }

    private static boolean refuses(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
