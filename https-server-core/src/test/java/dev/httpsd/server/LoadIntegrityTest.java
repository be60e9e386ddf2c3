package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing is lost or doubled under load: every request sent gets exactly one complete, correct
 * response, and the clients' books match the handlers'. A graceful stop under load finishes every
 * request the server started and cuts none. {@code -Dhttpsd.long=true} runs for minutes with more
 * clients.
 */
class LoadIntegrityTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private HttpServer server;
    private LoadGenerator.Ledger ledger;

    /** Starts the server with the load handlers and records the baseline after a warm-up. */
    private ResourceBaseline start() throws Exception {
        server = fixture.start();
        ledger = LoadGenerator.install(server);
        fixture.handle("/probe", HttpMethod.GET, (req, resp) -> resp.send("up"));
        try (RawClient warmUp = fixture.connect()) {
            assertThat(warmUp.exchange("GET /probe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .status())
                    .isEqualTo(200);
        }
        Await.until("the warm-up session is gone", () -> server.openSessions() == 0);
        return ResourceBaseline.record(server);
    }

    private static LoadGenerator.Connector connector(HttpServer server) {
        return () -> new Socket(InetAddress.getLoopbackAddress(), server.port());
    }

    @Test
    void everyRequestGetsExactlyOneCompleteCorrectResponse() throws Exception {
        ResourceBaseline baseline = start();
        LoadGenerator.Settings settings = LoadGenerator.settings(7, false, Duration.ofSeconds(8));

        LoadGenerator.Result result = LoadGenerator.start(connector(server), settings)
                .await(settings.duration().plusSeconds(60));

        LoadGenerator.assertAllAnswered(result, ledger);
        baseline.awaitReturn();
        LoadGenerator.report("plain", result, server.statistics());
        LoadGenerator.record("a plain", "plain (`LoadIntegrityTest`)", settings, false);
    }

    @Test
    void aGracefulStopUnderLoadFinishesEveryRequestItStartedAndCutsNone() throws Exception {
        ResourceBaseline baseline = start();
        // long enough never to end before the stop does
        LoadGenerator.Settings settings = LoadGenerator.settings(11, true, Duration.ofSeconds(40));
        LoadGenerator load = LoadGenerator.start(connector(server), settings);
        Await.until("the load is under way", () -> load.answered() >= 300);
        RawClient held = fixture.connect(server);
        held.send("GET /load/held HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(ledger.awaitHeld(Duration.ofSeconds(10))).isTrue();

        AtomicBoolean clean = new AtomicBoolean();
        Thread stopper = Thread.ofVirtual().start(() -> clean.set(server.stop(Duration.ofSeconds(20))));
        Await.until("the server refuses new connections", () -> !fixture.portAccepts(server.port()));
        ledger.releaseHeld();
        RawClient.Response heldResponse = held.read();
        LoadGenerator.Result result = load.await(Duration.ofSeconds(60));
        assertThat(stopper.join(Duration.ofSeconds(30))).isTrue();

        assertThat(heldResponse.bodyText()).isEqualTo("held");
        assertThat(heldResponse.header("Connection")).isEqualTo("close");
        assertThat(held.closedByServer()).isTrue();
        assertThat(clean).as("every session ended within the grace period").isTrue();
        LoadGenerator.assertStoppedCleanly(result, ledger, settings);
        held.close();
        baseline.awaitReturn();
        LoadGenerator.report("plain, graceful stop", result, server.statistics());
        LoadGenerator.record("b plain, stop", "plain, graceful stop (`LoadIntegrityTest`)", settings, true);
    }
}
