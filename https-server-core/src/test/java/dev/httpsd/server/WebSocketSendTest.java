package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sending to a WebSocket from threads that are not its session's: the synchronous {@code
 * server.sendFrame(id, frame)} (ESP {@code httpd_ws_send_data}) while the session thread waits
 * for the client's next frame, and many sync and async ({@code httpd_ws_send_data_async}) senders
 * at once, racing the session thread's own PONGs, without a frame ever being cut or
 * interleaved. {@code -Dhttpsd.long=true} sends 10 times more frames.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(WsTransport.class)
class WebSocketSendTest {

    /** The {@code websocket} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("websocket");

    static final boolean LONG = Boolean.getBoolean("httpsd.long");
    static final int SYNC_SENDERS = 3;
    static final int ASYNC_SENDERS = 2;
    static final int FRAMES_PER_SENDER = LONG ? 200 : 20;
    static final int PINGS = LONG ? 500 : 50;
    /** Sizes across the 7/16/64-bit length encodings and the server's 64 KiB write pieces. */
    static final int[] SIZES = {125, 126, 65535, 65536 + 1, 200_000};

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final WsTransport transport;
    private final AtomicInteger handlerCalls = new AtomicInteger();

    WebSocketSendTest(WsTransport transport) {
        this.transport = transport;
    }

    private HttpServer server() throws Exception {
        HttpServer server = transport.start(fixture);
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (request, response) -> {
                    handlerCalls.incrementAndGet();
                    WebSocketTest.ECHO.handle(request, response);
                },
                null));
        server.registerUriHandler(UriHandler.of("/plain", HttpMethod.GET, (request, response) -> response.send("x")));
        return server;
    }

    /** A raw client after the handshake, and the id of its session once that waits for a frame. */
    private record Upgraded(RawClient raw, int sessionId) {
        InputStream in() throws IOException {
            return raw.socket().getInputStream();
        }
    }

    private Upgraded upgraded(HttpServer server) throws Exception {
        RawClient raw = transport.raw(fixture, server);
        assertThat(raw.exchange(WebSocketTest.upgrade("/ws")).status()).isEqualTo(101);
        Await.until("one session", () -> server.clientList().size() == 1);
        int id = server.clientList().getFirst();
        ServerFixture.awaitIdle(server, id);
        return new Upgraded(raw, id);
    }

    @Test
    void aSyncSendFromAnotherThreadGoesOutWhileTheSessionWaitsForAFrame() throws Exception {
        HttpServer server = server();
        Upgraded client = upgraded(server);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> sent = other.submit(() -> {
                server.sendFrame(client.sessionId(), WsFrame.text("pushed"));
                return null;
            });
            sent.get(20, TimeUnit.SECONDS);
            assertThat(WsWire.readFrame(client.in()).text()).isEqualTo("pushed");
        } finally {
            other.shutdownNow();
        }
        // the push neither woke the handler nor disturbed the session's wait for a frame
        ServerFixture.awaitIdle(server, client.sessionId());
        assertThat(handlerCalls).hasValue(1);
        client.raw().send(WsWire.clientFrame(WsType.TEXT, true, "after".getBytes(StandardCharsets.UTF_8)));
        assertThat(WsWire.readFrame(client.in()).text()).isEqualTo("after");
        assertThat(handlerCalls).hasValue(2);
    }

    @Test
    void sendingToASessionThatIsNoOpenWebSocketFails() throws Exception {
        HttpServer server = server();
        try (RawClient http = transport.raw(fixture, server)) {
            assertThat(http.exchange("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n").status())
                    .isEqualTo(200);
            int plain = server.clientList().getFirst();
            assertThatThrownBy(() -> server.sendFrame(plain, WsFrame.text("x")))
                    .isInstanceOf(IOException.class)
                    .hasMessage("session " + plain + " is not a WebSocket");
        }
        assertThatThrownBy(() -> server.sendFrame(-1, WsFrame.text("x"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> server.sendFrameAsync(-1, WsFrame.text("x")).get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IOException.class);
        Upgraded client = upgraded(server);
        WebSocket ws = server.webSocket(client.sessionId()).orElseThrow();
        ws.close(1000, "done");
        assertThat(WsWire.readFrame(client.in()).closeCode()).isEqualTo(1000);
        // a CLOSE was sent: RFC 6455 §5.5.1 allows no frame after it
        assertThatThrownBy(() -> server.sendFrame(client.sessionId(), WsFrame.text("late")))
                .isInstanceOf(IOException.class);
    }

    /** Payload of frame {@code seq} from {@code sender}: both ids, then a filler byte of theirs. */
    static byte[] payload(int sender, int seq) {
        byte[] payload = new byte[SIZES[(sender + seq) % SIZES.length]];
        Arrays.fill(payload, filler(sender, seq));
        ByteBuffer.wrap(payload).putInt(sender).putInt(seq);
        return payload;
    }

    static byte filler(int sender, int seq) {
        return (byte) (sender * 31 + seq);
    }

    @Test
    void concurrentSyncAndAsyncSendsAndPongsArriveAsWholeFramesInEachSendersOrder() throws Exception {
        HttpServer server = server();
        Upgraded client = upgraded(server);
        int senders = SYNC_SENDERS + ASYNC_SENDERS;
        ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int s = 0; s < senders; s++) {
                int sender = s;
                boolean sync = s < SYNC_SENDERS;
                running.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<Void>> queued = new ArrayList<>();
                    for (int seq = 0; seq < FRAMES_PER_SENDER; seq++) {
                        WsFrame frame = WsFrame.binary(payload(sender, seq));
                        if (sync) {
                            server.sendFrame(client.sessionId(), frame);
                        } else {
                            queued.add(server.sendFrameAsync(client.sessionId(), frame));
                        }
                    }
                    for (CompletableFuture<Void> each : queued) {
                        each.get(60, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            // the session thread answers these with PONGs, racing the senders for the socket
            running.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < PINGS; i++) {
                    client.raw()
                            .send(WsWire.clientFrame(
                                    WsType.PING, true, ("ping " + i).getBytes(StandardCharsets.US_ASCII)));
                }
                return null;
            }));
            start.countDown();

            Map<Integer, Integer> nextSeq = new HashMap<>();
            int data = 0;
            int pongs = 0;
            while (data < senders * FRAMES_PER_SENDER || pongs < PINGS) {
                WsFrame frame = WsWire.readFrame(client.in());
                if (frame.type() == WsType.PONG) {
                    assertThat(frame.text()).isEqualTo("ping " + pongs);
                    pongs++;
                    continue;
                }
                assertThat(frame.type()).isEqualTo(WsType.BINARY);
                assertThat(frame.finalFragment()).isTrue();
                ByteBuffer ids = ByteBuffer.wrap(frame.payload());
                int sender = ids.getInt();
                int seq = ids.getInt();
                assertThat(seq).as("frame order of sender %d", sender).isEqualTo(nextSeq.getOrDefault(sender, 0));
                // the first wrong offset, not two 200 KB arrays, when a frame was cut or mixed
                assertThat(Arrays.mismatch(frame.payload(), payload(sender, seq)))
                        .as("first wrong byte of frame %d of sender %d (-1: none)", seq, sender)
                        .isEqualTo(-1);
                nextSeq.put(sender, seq + 1);
                data++;
            }
            for (Future<?> each : running) {
                each.get(60, TimeUnit.SECONDS);
            }
            assertThat(nextSeq)
                    .hasSize(senders)
                    .allSatisfy((sender, next) -> assertThat(next).isEqualTo(FRAMES_PER_SENDER));
        } finally {
            pool.shutdownNow();
        }
        // nothing beyond what was counted: the echo of this frame is the next thing on the wire
        client.raw().send(WsWire.clientFrame(WsType.TEXT, true, "end".getBytes(StandardCharsets.UTF_8)));
        assertThat(WsWire.readFrame(client.in()).text()).isEqualTo("end");
        assertThat(handlerCalls).hasValue(2);

        long payloadBytes = 0;
        for (int sender = 0; sender < senders; sender++) {
            for (int seq = 0; seq < FRAMES_PER_SENDER; seq++) {
                payloadBytes += SIZES[(sender + seq) % SIZES.length];
            }
        }
        ReliabilityRecord.row(
                LONG ? "websocket-senders.long" : "websocket-senders",
                List.of("transport", "senders", "frames (payload bytes)", "server PONGs racing them", "asserted"),
                transport.name(),
                List.of(
                        transport.name().toLowerCase(Locale.ROOT),
                        SYNC_SENDERS + " sync + " + ASYNC_SENDERS + " async",
                        String.format(Locale.ROOT, "%,d (%,d)", senders * FRAMES_PER_SENDER, payloadBytes),
                        String.format(Locale.ROOT, "%,d", PINGS),
                        "every frame and PONG received whole, each sender's frames in its order, the PONGs in"
                                + " order, nothing else on the wire"));
    }
}
