package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.test.LocalHttpsServer;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** The sample's wss:// echo and its periodic broadcast to every WebSocket client (ESP's wss_server). */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "sample.broadcast-interval=200ms")
class SampleWebSocketTests {

    @Autowired
    LocalHttpsServer server;

    /** Collects whole text messages. */
    static final class Messages implements WebSocket.Listener {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                received.add(message.toString());
                message.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        /** The next message that is not the periodic broadcast. */
        String nextEcho() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                String message = received.poll(1, TimeUnit.SECONDS);
                if (message != null && !message.startsWith("server time ")) {
                    return message;
                }
            }
            throw new AssertionError("no echo within 20 s");
        }
    }

    private WebSocket connect(Messages listener) throws Exception {
        return server.httpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create("wss://localhost:" + server.port() + "/ws"), listener)
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void echoesTextOverWss() throws Exception {
        Messages listener = new Messages();
        WebSocket ws = connect(listener);
        ws.sendText("hello from the test", true).get(10, TimeUnit.SECONDS);
        assertThat(listener.nextEcho()).isEqualTo("hello from the test");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        assertThat(listener.closed.get(20, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void broadcastsTheServerTimeToEveryWebSocketClient() throws Exception {
        Messages first = new Messages();
        Messages second = new Messages();
        WebSocket a = connect(first);
        WebSocket b = connect(second);
        for (Messages listener : new Messages[] {first, second}) {
            String message = listener.received.poll(20, TimeUnit.SECONDS);
            assertThat(message).as("a broadcast within 20 s").startsWith("server time ");
        }
        a.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        b.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }
}
