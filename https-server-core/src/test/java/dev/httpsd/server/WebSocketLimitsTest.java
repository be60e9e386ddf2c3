package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.WebSocketTest.Listener;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code maxWsFrameLength} and {@code maxWsMessageLength} at their boundaries: a frame or a
 * message (all its fragments) of exactly the limit is served, one byte more closes the WebSocket
 * with 1009 before the handler sees the frame that crossed it. Limits here: frames 400 bytes,
 * messages 1000.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(WsTransport.class)
class WebSocketLimitsTest {

    /** The {@code websocket} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("websocket");

    static final int FRAME_LIMIT = 400;
    static final int MESSAGE_LIMIT = 1000;

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final WsTransport transport;

    /** The header of every frame handed to the echo handler, in order. */
    private final List<WsFrameInfo> handled = new CopyOnWriteArrayList<>();

    WebSocketLimitsTest(WsTransport transport) {
        this.transport = transport;
    }

    private HttpServer server(int frameLimit, int messageLimit) throws Exception {
        HttpServer server =
                transport.start(fixture, b -> b.maxWsFrameLength(frameLimit).maxWsMessageLength(messageLimit));
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (request, response) -> {
                    if (request.method() == null) {
                        handled.add(WebSocket.of(request).orElseThrow().frameInfo());
                    }
                    WebSocketTest.ECHO.handle(request, response);
                },
                null));
        return server;
    }

    private RawClient upgraded(HttpServer server) throws Exception {
        RawClient raw = transport.raw(fixture, server);
        assertThat(raw.exchange(WebSocketTest.upgrade("/ws")).status()).isEqualTo(101);
        return raw;
    }

    static byte[] payload(int size) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        return payload;
    }

    /** Sends {@code sizes} as one fragmented binary message. */
    static void sendFragments(RawClient raw, int... sizes) throws Exception {
        for (int i = 0; i < sizes.length; i++) {
            raw.send(WsWire.clientFrame(
                    i == 0 ? WsType.BINARY : WsType.CONTINUE, i == sizes.length - 1, payload(sizes[i])));
        }
    }

    /** Reads the echoed fragments of one message and returns their payload lengths. */
    static List<Integer> readEchoedMessage(InputStream in) throws Exception {
        List<Integer> lengths = new ArrayList<>();
        while (true) {
            WsFrame frame = WsWire.readFrame(in);
            assertThat(frame.type()).isIn(WsType.BINARY, WsType.CONTINUE);
            lengths.add(frame.payload().length);
            if (frame.finalFragment()) {
                return lengths;
            }
        }
    }

    @Test
    void aFrameOfExactlyTheFrameLimitIsServedAndOneByteMoreCloses1009() throws Exception {
        HttpServer server = server(FRAME_LIMIT, MESSAGE_LIMIT);
        try (RawClient raw = upgraded(server)) {
            InputStream in = raw.socket().getInputStream();
            raw.send(WsWire.clientFrame(WsType.BINARY, true, payload(FRAME_LIMIT)));
            assertThat(WsWire.readFrame(in).payload()).isEqualTo(payload(FRAME_LIMIT));
            raw.send(WsWire.clientFrame(WsType.BINARY, true, payload(FRAME_LIMIT + 1)));
            WsFrame close = WsWire.readClose(in);
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(reason(close)).isEqualTo("frame of 401 bytes exceeds 400");
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(handled).extracting(WsFrameInfo::length).containsExactly((long) FRAME_LIMIT);
    }

    @Test
    void aSingleFrameOverTheMessageLimitClosesWith1009UnseenByTheHandler() throws Exception {
        // the message limit may equal the frame limit: then it is the message check that fires
        HttpServer server = server(MESSAGE_LIMIT, MESSAGE_LIMIT);
        try (RawClient raw = upgraded(server)) {
            InputStream in = raw.socket().getInputStream();
            raw.send(WsWire.clientFrame(WsType.BINARY, true, payload(MESSAGE_LIMIT)));
            assertThat(WsWire.readFrame(in).payload()).hasSize(MESSAGE_LIMIT);
            raw.send(WsWire.clientFrame(WsType.TEXT, true, new byte[MESSAGE_LIMIT + 1]));
            WsFrame close = WsWire.readClose(in);
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(reason(close)).isEqualTo("message exceeds 1000 bytes");
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(handled).extracting(WsFrameInfo::length).containsExactly((long) MESSAGE_LIMIT);
    }

    @Test
    void aFragmentedMessageOfExactlyTheLimitIsServedAndTheCountStartsAgainForTheNext() throws Exception {
        HttpServer server = server(FRAME_LIMIT, MESSAGE_LIMIT);
        try (RawClient raw = upgraded(server)) {
            InputStream in = raw.socket().getInputStream();
            sendFragments(raw, 400, 400, 200);
            assertThat(readEchoedMessage(in)).containsExactly(400, 400, 200);
            sendFragments(raw, 400, 400, 200);
            assertThat(readEchoedMessage(in)).containsExactly(400, 400, 200);
        }
        assertThat(handled).hasSize(6);
    }

    @Test
    void controlFramesInsideAFragmentedMessageDoNotCountTowardsIt() throws Exception {
        HttpServer server = server(FRAME_LIMIT, MESSAGE_LIMIT);
        try (RawClient raw = upgraded(server)) {
            InputStream in = raw.socket().getInputStream();
            raw.send(WsWire.clientFrame(WsType.BINARY, false, payload(400)));
            raw.send(WsWire.clientFrame(WsType.PING, true, new byte[125]));
            raw.send(WsWire.clientFrame(WsType.CONTINUE, false, payload(400)));
            raw.send(WsWire.clientFrame(WsType.PING, true, new byte[125]));
            raw.send(WsWire.clientFrame(WsType.CONTINUE, true, payload(200)));
            List<WsType> received = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                received.add(WsWire.readFrame(in).type());
            }
            assertThat(received)
                    .containsExactly(WsType.BINARY, WsType.PONG, WsType.CONTINUE, WsType.PONG, WsType.CONTINUE);
        }
    }

    @Test
    void aFragmentedMessageOneByteOverTheLimitClosesWith1009BeforeTheLastFragment() throws Exception {
        HttpServer server = server(FRAME_LIMIT, MESSAGE_LIMIT);
        try (RawClient raw = upgraded(server)) {
            InputStream in = raw.socket().getInputStream();
            raw.send(WsWire.clientFrame(WsType.BINARY, false, payload(400)));
            raw.send(WsWire.clientFrame(WsType.CONTINUE, false, payload(400)));
            assertThat(WsWire.readFrame(in).payload()).hasSize(400);
            assertThat(WsWire.readFrame(in).payload()).hasSize(400);
            raw.send(WsWire.clientFrame(WsType.CONTINUE, true, payload(201)));
            WsFrame close = WsWire.readClose(in);
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(reason(close)).isEqualTo("message exceeds 1000 bytes");
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(handled)
                .containsExactly(
                        new WsFrameInfo(WsType.BINARY, false, true, 400, 400),
                        new WsFrameInfo(WsType.CONTINUE, false, true, 400, 400));
        Await.until("the session closed", () -> server.openSessions() == 0);
    }

    @Test
    void theJdkClientSeesTheCloseCode1009ForAFragmentedMessageOverTheLimit() throws Exception {
        HttpServer server = server(FRAME_LIMIT, MESSAGE_LIMIT);
        Listener listener = new Listener();
        var ws = transport.connect(fixture, server, "/ws", listener);
        for (int i = 0; i < 3; i++) {
            ws.sendBinary(ByteBuffer.wrap(payload(350)), i == 2).get(10, TimeUnit.SECONDS);
        }
        assertThat(listener.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1009);
        assertThat(handled).hasSize(2);
        Await.until("the session closed", () -> server.openSessions() == 0);
    }

    static String reason(WsFrame close) {
        return new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8);
    }
}
