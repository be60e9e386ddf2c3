package dev.httpsd.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.tls.HttpsServerEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The recorder hears events from any thread, waits for them, and its assertions read order per session. */
class ServerEventRecorderTest {

    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000);

    private final ServerEventRecorder recorder = new ServerEventRecorder();

    @Test
    void anEventPostedOnAnotherThreadIsAwaited() throws Exception {
        try (ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor()) {
            sessions.submit(() -> recorder.onEvent(new HttpServerEvent.OnConnected(7, PEER)));
            HttpServerEvent.OnConnected connected =
                    recorder.await(HttpServerEvent.OnConnected.class, event -> event.sessionId() == 7);
            assertThat(connected.remoteAddress()).isEqualTo(PEER);
        }
    }

    @Test
    void anEventThatNeverComesFailsListingWhatWasRecorded() {
        recorder.onEvent(new HttpServerEvent.OnConnected(1, PEER));
        assertThatThrownBy(() -> recorder.await(HttpServerEvent.Disconnected.class, e -> true, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("HttpServerEvent$Disconnected")
                .hasMessageContaining("OnConnected[sessionId=1");
    }

    @Test
    void orderIsCheckedPerSessionAcrossBothFamilies() {
        recorder.onEvent(new HttpsServerEvent.OnConnected(1, PEER));
        recorder.onEvent(new HttpsServerEvent.OnConnected(2, PEER));
        recorder.onEvent(new HttpServerEvent.OnConnected(2, PEER));
        recorder.onEvent(new HttpServerEvent.OnConnected(1, PEER));
        recorder.onEvent(new HttpServerEvent.Disconnected(1, PEER));
        recorder.onEvent(new HttpsServerEvent.Disconnected(1, PEER));

        assertThat(recorder)
                .forSession(1)
                .containsSubsequence(HttpsServerEvent.OnConnected.class, HttpsServerEvent.Disconnected.class)
                .containsExactlyTypes(
                        HttpsServerEvent.OnConnected.class,
                        HttpServerEvent.OnConnected.class,
                        HttpServerEvent.Disconnected.class,
                        HttpsServerEvent.Disconnected.class)
                .hasNoEventOfType(HttpServerEvent.Error.class);
        assertThat(recorder).ofType(HttpsServerEvent.class).hasSize(3);
        assertThatThrownBy(() -> assertThat(recorder)
                        .forSession(2)
                        .containsSubsequence(HttpServerEvent.OnConnected.class, HttpsServerEvent.OnConnected.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("HttpsServerEvent$OnConnected was not found");
    }

    @Test
    void clearForgetsEverything() {
        recorder.onEvent(new HttpServerEvent.OnConnected(1, PEER));
        recorder.clear();
        assertThat(recorder.events()).isEmpty();
        assertThat(recorder.session(1)).isEmpty();
    }
}
