package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WebSocket with the JDK's client, over ws and over wss (TLS through {@code HttpsServer}): echo at
 * the length-encoding boundaries, fragmentation, ping, the close handshake both ways, rejection
 * before the handshake, broadcast.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(WsTransport.class)
class WebSocketTest {

    /** The {@code websocket} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("websocket");

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final WsTransport transport;

    WebSocketTest(WsTransport transport) {
        this.transport = transport;
    }

    /** ESP's ws_echo_server handler: handshake call, then echo each frame as received. */
    static final RequestHandler ECHO = (request, response) -> {
        if (request.method() == HttpMethod.GET) {
            return;
        }
        WebSocket ws = WebSocket.of(request).orElseThrow();
        WsFrame frame = ws.recvFrame(Integer.MAX_VALUE);
        ws.sendFrame(new WsFrame(frame.type(), frame.finalFragment(), frame.fragmented(), frame.payload()));
    };

    /** Collects what a JDK WebSocket client receives, message by message. */
    static final class Listener implements java.net.http.WebSocket.Listener {
        final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text = new StringBuilder();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary = new java.io.ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(java.net.http.WebSocket webSocket, ByteBuffer message) {
            messages.add("pong:" + StandardCharsets.UTF_8.decode(message));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        Object next() throws InterruptedException {
            Object message = messages.poll(20, TimeUnit.SECONDS);
            assertThat(message).as("a message within 20 s").isNotNull();
            return message;
        }
    }

    private java.net.http.WebSocket connect(HttpServer server, String path, Listener listener) throws Exception {
        return transport.connect(fixture, server, path, listener);
    }

    private HttpServer echoServer() throws Exception {
        HttpServer server = transport.start(fixture);
        server.registerUriHandler(UriHandler.webSocket("/ws", ECHO, WebSocketOptions.defaults()));
        return server;
    }

    /** A text of exactly {@code bytes} UTF-8 bytes mixing one- to four-byte characters. */
    static String utf8Text(int bytes, long seed) {
        String[] characters = {"a", "é", "€", "𝄞"}; // 1, 2, 3 and 4 bytes
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        int length = 0;
        while (length < bytes) {
            int width = 1 + random.nextInt(Math.min(4, bytes - length));
            text.append(characters[width - 1]);
            length += width;
        }
        return text.toString();
    }

    /**
     * Type, length and SHA-256 of a received message: comparing these instead of megabytes of
     * text keeps a failure message readable.
     */
    static String digest(Object message) {
        byte[] bytes = message instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) message;
        return (message instanceof String ? "text" : "binary") + " of " + bytes.length + " bytes, sha256 "
                + WebSocketFrameReadTest.sha256(bytes);
    }

    @Test
    void echoesTextAndBinaryMessages() throws Exception {
        HttpServer server = echoServer();
        Listener listener = new Listener();
        var ws = connect(server, "/ws", listener);
        ws.sendText("Hello ESP", true).get(10, TimeUnit.SECONDS);
        assertThat(listener.next()).isEqualTo("Hello ESP");
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
        assertThat((byte[]) listener.next()).containsExactly(1, 2, 3);
        ws.sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
        assertThat(listener.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
        Await.until("the session closed", () -> server.openSessions() == 0);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 125, 126, 65535, 65536, 1024 * 1024})
    void echoesBinaryPayloadsAcrossLengthEncodingBoundaries(int size) throws Exception {
        HttpServer server = echoServer();
        Listener listener = new Listener();
        var ws = connect(server, "/ws", listener);
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        ws.sendBinary(ByteBuffer.wrap(payload), true).get(20, TimeUnit.SECONDS);
        assertThat(digest(listener.next())).isEqualTo(digest(payload));
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 125, 126, 65535, 65536, 1024 * 1024})
    void echoesTextPayloadsAcrossLengthEncodingBoundaries(int size) throws Exception {
        HttpServer server = echoServer();
        Listener listener = new Listener();
        var ws = connect(server, "/ws", listener);
        String text = utf8Text(size, size);
        assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(size);
        ws.sendText(text, true).get(20, TimeUnit.SECONDS);
        assertThat(digest(listener.next())).isEqualTo(digest(text));
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void echoesAFragmentedTextMessage() throws Exception {
        HttpServer server = echoServer();
        Listener listener = new Listener();
        var ws = connect(server, "/ws", listener);
        ws.sendText("Hello ", false).get(10, TimeUnit.SECONDS);
        ws.sendText("fragmented ", false).get(10, TimeUnit.SECONDS);
        ws.sendText("world", true).get(10, TimeUnit.SECONDS);
        assertThat(listener.next()).isEqualTo("Hello fragmented world");
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void theHandlerSeesEachFragmentOfABinaryMessageAsESPDescribesIt() throws Exception {
        HttpServer server = transport.start(fixture);
        List<WsFrameInfo> frames = new CopyOnWriteArrayList<>();
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (request, response) -> {
                    if (request.method() == null) {
                        frames.add(WebSocket.of(request).orElseThrow().frameInfo());
                    }
                    ECHO.handle(request, response);
                },
                null));
        Listener listener = new Listener();
        var ws = connect(server, "/ws", listener);
        byte[] message = new byte[3 * 70_000];
        new Random(3).nextBytes(message);
        for (int part = 0; part < 3; part++) {
            ws.sendBinary(ByteBuffer.wrap(message, part * 70_000, 70_000), part == 2)
                    .get(20, TimeUnit.SECONDS);
        }
        assertThat(digest(listener.next())).isEqualTo(digest(message));
        assertThat(frames)
                .containsExactly(
                        new WsFrameInfo(WsType.BINARY, false, true, 70_000, 70_000),
                        new WsFrameInfo(WsType.CONTINUE, false, true, 70_000, 70_000),
                        new WsFrameInfo(WsType.CONTINUE, true, true, 70_000, 70_000));
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void answersPingWithPong() throws Exception {
        HttpServer server = echoServer();
        Listener listener = new Listener();
        var ws = connect(server, "/ws", listener);
        ws.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8)))
                .get(10, TimeUnit.SECONDS);
        assertThat(listener.next()).isEqualTo("pong:are you there");
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void deliversControlFramesToAHandlerThatAsksForThem() throws Exception {
        HttpServer server = transport.start(fixture);
        List<WsType> seen = new CopyOnWriteArrayList<>();
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (request, response) -> {
                    if (request.method() == null) {
                        WebSocket ws = WebSocket.of(request).orElseThrow();
                        WsFrame frame = ws.recvFrame(125);
                        seen.add(frame.type());
                        if (frame.type() == WsType.PING) {
                            ws.sendFrame(WsFrame.pong("handled".getBytes(StandardCharsets.UTF_8)));
                        }
                    }
                },
                new WebSocketOptions(true, null, null)));
        Listener listener = new Listener();
        var ws = connect(server, "/ws", listener);
        ws.sendPing(ByteBuffer.wrap(new byte[] {1})).get(10, TimeUnit.SECONDS);
        assertThat(listener.next()).isEqualTo("pong:handled");
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
        assertThat(listener.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(seen).containsExactly(WsType.PING, WsType.CLOSE);
    }

    @Test
    void theServerAnswersTheClientsCloseWithTheSameCodeAndEndsTheSession() throws Exception {
        HttpServer server = echoServer();
        Listener listener = new Listener();
        var ws = connect(server, "/ws", listener);
        Await.until("one WebSocket session", () -> server.clientList().size() == 1);
        int id = server.clientList().getFirst();
        assertThat(server.webSocketState(id)).isEqualTo(WsClientInfo.WEBSOCKET);
        ws.sendClose(4001, "client done").get(10, TimeUnit.SECONDS);
        assertThat(listener.closed.get(20, TimeUnit.SECONDS)).isEqualTo(4001);
        Await.until("the session closed", () -> server.openSessions() == 0);
        assertThat(server.webSocketState(id)).isEqualTo(WsClientInfo.INVALID);
    }

    @Test
    void aCloseStartedByTheHandlerReachesTheClientAndEndsTheSession() throws Exception {
        HttpServer server = transport.start(fixture);
        AtomicInteger frameCalls = new AtomicInteger();
        CompletableFuture<Boolean> openAfterClose = new CompletableFuture<>();
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (request, response) -> {
                    if (request.method() == null) {
                        frameCalls.incrementAndGet();
                        WebSocket ws = WebSocket.of(request).orElseThrow();
                        if (ws.recvFrame(125).text().equals("close, please")) {
                            ws.close(4000, "as you wish");
                            openAfterClose.complete(ws.isOpen());
                        }
                    }
                },
                null));
        Listener listener = new Listener();
        var ws = connect(server, "/ws", listener);
        ws.sendText("close, please", true).get(10, TimeUnit.SECONDS);
        assertThat(listener.closed.get(20, TimeUnit.SECONDS)).isEqualTo(4000);
        assertThat(openAfterClose.get(20, TimeUnit.SECONDS)).isFalse();
        // the JDK client answers the CLOSE by itself; that answer ends the session
        Await.until("the session closed", () -> server.openSessions() == 0);
        // the answering CLOSE is the server's business, never handed to the handler
        assertThat(frameCalls).hasValue(1);
    }

    @Test
    void negotiatesTheSupportedSubprotocol() throws Exception {
        HttpServer server = transport.start(fixture);
        server.registerUriHandler(UriHandler.webSocket("/ws", ECHO, new WebSocketOptions(false, "chat", null)));
        var ws = transport
                .httpClient(fixture)
                .newWebSocketBuilder()
                .subprotocols("superchat", "chat")
                .buildAsync(transport.uri(server, "/ws"), new Listener())
                .get(20, TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("chat");
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    private HttpServer serverWithTokenCheck(AtomicInteger handlerCalls) throws Exception {
        HttpServer server = transport.start(fixture);
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (request, response) -> {
                    handlerCalls.incrementAndGet();
                    ECHO.handle(request, response);
                },
                new WebSocketOptions(
                        false,
                        null,
                        (request, response) -> request.queryValue("token")
                                .filter("secret"::equals)
                                .isPresent())));
        return server;
    }

    @Test
    void thePreHandshakeCallbackCanRejectTheUpgrade() throws Exception {
        AtomicInteger handlerCalls = new AtomicInteger();
        HttpServer server = serverWithTokenCheck(handlerCalls);
        try (RawClient raw = transport.raw(fixture, server)) {
            var refused = raw.exchange(upgrade("/ws?token=wrong"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(handlerCalls).hasValue(0);
        try (RawClient raw = transport.raw(fixture, server)) {
            var accepted = raw.exchange(upgrade("/ws?token=secret"));
            assertThat(accepted.status()).isEqualTo(101);
            assertThat(accepted.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
        Await.until("the handshake call", () -> handlerCalls.get() == 1);
    }

    @Test
    void aJdkClientRejectedBeforeTheHandshakeSeesThe403() throws Exception {
        AtomicInteger handlerCalls = new AtomicInteger();
        HttpServer server = serverWithTokenCheck(handlerCalls);
        var attempt = transport
                .httpClient(fixture)
                .newWebSocketBuilder()
                .buildAsync(transport.uri(server, "/ws?token=wrong"), new Listener());
        assertThatThrownBy(() -> attempt.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        Await.until("the refused session closed", () -> server.openSessions() == 0);
        assertThat(handlerCalls).hasValue(0);
    }

    @Test
    void aPlainGetOnAWebSocketUriIsServedAsHttp() throws Exception {
        HttpServer server = transport.start(fixture);
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (request, response) -> {
                    if (WebSocket.of(request).isEmpty()) {
                        response.send("plain HTTP");
                    }
                },
                null));
        try (RawClient raw = transport.raw(fixture, server)) {
            assertThat(raw.exchange("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                    .isEqualTo("plain HTTP");
        }
    }

    @Test
    void broadcastsToEveryWebSocketClient() throws Exception {
        HttpServer server = echoServer();
        server.registerUriHandler(UriHandler.of("/plain", HttpMethod.GET, (request, response) -> response.send("x")));
        List<Listener> listeners = List.of(new Listener(), new Listener(), new Listener());
        List<java.net.http.WebSocket> clients = new java.util.ArrayList<>();
        for (Listener listener : listeners) {
            clients.add(connect(server, "/ws", listener));
        }
        try (RawClient http = transport.raw(fixture, server)) {
            assertThat(http.exchange("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n").status())
                    .isEqualTo(200);
            Await.until("four sessions", () -> server.clientList().size() == 4);
            int sent = 0;
            for (int id : server.clientList()) {
                if (server.webSocketState(id) == WsClientInfo.WEBSOCKET) {
                    server.sendFrameAsync(id, WsFrame.text("broadcast")).get(10, TimeUnit.SECONDS);
                    sent++;
                } else {
                    assertThat(server.webSocketState(id)).isEqualTo(WsClientInfo.HTTP);
                }
            }
            assertThat(sent).isEqualTo(3);
        }
        for (Listener listener : listeners) {
            assertThat(listener.next()).isEqualTo("broadcast");
            assertThat(listener.messages).isEmpty();
        }
        assertThat(server.webSocketState(-5)).isEqualTo(WsClientInfo.INVALID);
        for (var client : clients) {
            client.sendClose(1000, "").get(10, TimeUnit.SECONDS);
        }
    }

    static String upgrade(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }
}
