package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** WebSocket over ws with the JDK's client: echo, sizes, fragmentation, ping, close, rejection, broadcast. */
class WebSocketTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

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
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), listener)
                .get(20, TimeUnit.SECONDS);
    }

    private HttpServer echoServer() throws Exception {
        HttpServer server = fixture.start();
        server.registerUriHandler(UriHandler.webSocket("/ws", ECHO, WebSocketOptions.defaults()));
        return server;
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

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65535, 65536, 1024 * 1024})
    void echoesBinaryPayloadsAcrossLengthEncodingBoundaries(int size) throws Exception {
        HttpServer server = echoServer();
        Listener listener = new Listener();
        var ws = connect(server, "/ws", listener);
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        ws.sendBinary(ByteBuffer.wrap(payload), true).get(20, TimeUnit.SECONDS);
        assertThat((byte[]) listener.next()).isEqualTo(payload);
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
        HttpServer server = fixture.start();
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
    void negotiatesTheSupportedSubprotocol() throws Exception {
        HttpServer server = fixture.start();
        server.registerUriHandler(UriHandler.webSocket("/ws", ECHO, new WebSocketOptions(false, "chat", null)));
        var ws = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .subprotocols("superchat", "chat")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new Listener())
                .get(20, TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("chat");
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void thePreHandshakeCallbackCanRejectTheUpgrade() throws Exception {
        HttpServer server = fixture.start();
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                ECHO,
                new WebSocketOptions(
                        false,
                        null,
                        (request, response) -> request.queryValue("token")
                                .filter("secret"::equals)
                                .isPresent())));
        try (RawClient raw = fixture.connect(server)) {
            var refused = raw.exchange(upgrade("/ws?token=wrong"));
            assertThat(refused.status()).isEqualTo(403);
        }
        try (RawClient raw = fixture.connect(server)) {
            var accepted = raw.exchange(upgrade("/ws?token=secret"));
            assertThat(accepted.status()).isEqualTo(101);
            assertThat(accepted.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
    }

    @Test
    void aPlainGetOnAWebSocketUriIsServedAsHttp() throws Exception {
        HttpServer server = fixture.start();
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (request, response) -> {
                    if (WebSocket.of(request).isEmpty()) {
                        response.send("plain HTTP");
                    }
                },
                null));
        try (RawClient raw = fixture.connect(server)) {
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
        try (RawClient http = fixture.connect(server)) {
            assertThat(http.exchange("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n").status())
                    .isEqualTo(200);
            Await.until("four sessions", () -> server.clientList().size() == 4);
            int sent = 0;
            for (int id : server.clientList()) {
                if (server.webSocketState(id) == WsClientInfo.WEBSOCKET) {
                    server.sendFrameAsync(id, WsFrame.text("broadcast")).get(10, TimeUnit.SECONDS);
                    sent++;
                }
            }
            assertThat(sent).isEqualTo(3);
        }
        for (Listener listener : listeners) {
            assertThat(listener.next()).isEqualTo("broadcast");
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
