package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.events.HttpServerConnectedEvent;
import dev.httpsd.autoconfigure.events.HttpServerDataEvent;
import dev.httpsd.autoconfigure.events.HttpServerDisconnectedEvent;
import dev.httpsd.autoconfigure.events.HttpServerErrorEvent;
import dev.httpsd.autoconfigure.events.HttpsServerApplicationEvent;
import dev.httpsd.autoconfigure.events.HttpsServerConnectedEvent;
import dev.httpsd.autoconfigure.events.HttpsServerDisconnectedEvent;
import dev.httpsd.autoconfigure.events.ServerApplicationEvent;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.WebSocket;
import dev.httpsd.server.WsFrame;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.test.RawHttpConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code @EventListener} beans receive the server's events for real traffic, on the session's
 * thread and therefore in the order they happen. For one request on one TLS connection the
 * order follows ESP-IDF (reference §5): HTTPS ON_CONNECTED comes before HTTP ON_CONNECTED (the
 * TLS open hook ends first), the decrypted bytes (HTTPS ON_DATA) come before the HTTP layer sees
 * the head, every HTTPS SENT_DATA of a response precedes the HTTP event reporting it (small
 * responses go out in one TLS write, so HEADERS_SENT follows it), and HTTPS DISCONNECTED comes
 * after HTTP DISCONNECTED (it is posted by the transport context's free function). A WebSocket
 * session is bracketed by the same connected and disconnected events.
 */
@SpringBootTest(
        classes = ServerEventsApplicationTests.Application.class,
        webEnvironment = WebEnvironment.NONE,
        properties = "https-server.port-secure=0")
class ServerEventsApplicationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Autowired
    EventRecorder recorder;

    @Autowired
    TypedListeners typed;

    @Autowired
    Handlers handlers;

    @Value("${local.https-server.port}")
    int port;

    @DynamicPropertySource
    static void tlsMaterial(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.certificate", () -> Certificates.toPem(TestHttps.SERVER.chain()));
        registry.add("https-server.ssl.private-key", () -> Certificates.toPem(TestHttps.SERVER.privateKey()));
    }

    @Test
    void oneGetOnOneConnectionPostsTheEventsInEspOrder() throws Exception {
        assertThat(exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .containsExactly(
                        "HTTPS ON_CONNECTED",
                        "HTTP ON_CONNECTED",
                        "HTTPS ON_DATA",
                        "HTTP ON_HEADER",
                        "HTTPS SENT_DATA",
                        "HTTP HEADERS_SENT",
                        "HTTP SENT_DATA",
                        "HTTP DISCONNECTED",
                        "HTTPS DISCONNECTED");
    }

    @Test
    void requestBodyIsReportedAsHttpDataAfterTheHeader() throws Exception {
        assertThat(exchange("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                        + "Connection: close\r\n\r\nhello"))
                .containsExactly(
                        "HTTPS ON_CONNECTED",
                        "HTTP ON_CONNECTED",
                        "HTTPS ON_DATA",
                        "HTTP ON_HEADER",
                        "HTTP ON_DATA",
                        "HTTPS SENT_DATA",
                        "HTTP HEADERS_SENT",
                        "HTTP SENT_DATA",
                        "HTTP DISCONNECTED",
                        "HTTPS DISCONNECTED");
    }

    @Test
    void errorResponseIsFollowedByAnHttpErrorEvent() throws Exception {
        assertThat(exchange("GET /missing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .containsExactly(
                        "HTTPS ON_CONNECTED",
                        "HTTP ON_CONNECTED",
                        "HTTPS ON_DATA",
                        "HTTP ON_HEADER",
                        "HTTPS SENT_DATA",
                        "HTTP HEADERS_SENT",
                        "HTTP SENT_DATA",
                        "HTTP ERROR",
                        "HTTP DISCONNECTED",
                        "HTTPS DISCONNECTED");
    }

    @Test
    void clientClosingAKeptAliveConnectionWithCloseNotifyIsNoError() throws Exception {
        int clientPort;
        try (Socket socket = TestHttps.tlsSocket(port, null);
                RawHttpConnection client = new RawHttpConnection(socket)) {
            clientPort = socket.getLocalPort();
            assertThat(client.exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .bodyText())
                    .isEqualTo("hello");
        }
        assertThat(awaitSession(clientPort, "HTTPS DISCONNECTED"))
                .containsExactly(
                        "HTTPS ON_CONNECTED",
                        "HTTP ON_CONNECTED",
                        "HTTPS ON_DATA",
                        "HTTP ON_HEADER",
                        "HTTPS SENT_DATA",
                        "HTTP HEADERS_SENT",
                        "HTTP SENT_DATA",
                        "HTTP DISCONNECTED",
                        "HTTPS DISCONNECTED");
    }

    @Test
    void plainHttpOnTheTlsPortIsAnHttpsErrorAndTheSessionNeverConnects() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                RawHttpConnection client = new RawHttpConnection(socket)) {
            client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(400);
            assertThat(awaitSession(socket.getLocalPort(), "HTTP DISCONNECTED"))
                    .containsExactly("HTTPS ERROR", "HTTP DISCONNECTED");
        }
    }

    @Test
    void typedListenersReceiveTheirOwnEventsWithPayloads() throws Exception {
        exchange("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        exchange("GET /missing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(typed.data).extracting(HttpServerDataEvent::length).contains(5);
        assertThat(typed.errors).extracting(HttpServerErrorEvent::error).contains(HttpError.NOT_FOUND_404);
        assertThat(typed.connected)
                .isNotEmpty()
                .allSatisfy(event -> assertThat(event.server()).isNotNull());
    }

    @Test
    void startEventsWerePublishedHttpFirstThenHttps() {
        assertThat(recorder.events)
                .filteredOn(event -> event.sessionId() < 0)
                .extracting(ServerEventsApplicationTests::describe)
                .startsWith("HTTP START", "HTTPS START");
    }

    @Test
    void aWebSocketSessionPostsTheSameConnectedAndDisconnectedEventsAsAnHttpOne() throws Exception {
        var echoed = new LinkedBlockingQueue<String>();
        var closed = new CompletableFuture<Integer>();
        int session;
        try (HttpClient client = TestHttps.client(null)) {
            var ws = client.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://localhost:" + port + "/ws"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(
                                java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
                            echoed.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }
                    })
                    .get(30, TimeUnit.SECONDS);
            session = handlers.webSocketSessions.poll(30, TimeUnit.SECONDS);
            ws.sendText("frame one", true).get(30, TimeUnit.SECONDS);
            assertThat(echoed.poll(30, TimeUnit.SECONDS)).isEqualTo("frame one");
            ws.sendText("frame two", true).get(30, TimeUnit.SECONDS);
            assertThat(echoed.poll(30, TimeUnit.SECONDS)).isEqualTo("frame two");
            ws.sendClose(1000, "").get(30, TimeUnit.SECONDS);
            assertThat(closed.get(30, TimeUnit.SECONDS)).isEqualTo(1000);
        }
        List<String> events = await().atMost(DEADLINE)
                .until(() -> recorder.ofSession(session), all -> all.contains("HTTPS DISCONNECTED"));
        assertThat(events)
                .startsWith("HTTPS ON_CONNECTED", "HTTP ON_CONNECTED")
                .endsWith("HTTP DISCONNECTED", "HTTPS DISCONNECTED");
        // the HTTP layer sees the upgrade request and nothing of the frames, as in ESP
        assertThat(events)
                .filteredOn(event -> event.startsWith("HTTP "))
                .containsExactly("HTTP ON_CONNECTED", "HTTP ON_HEADER", "HTTP DISCONNECTED");
        assertThat(typed.httpConnected)
                .filteredOn(e -> e.sessionId() == session)
                .hasSize(1);
        assertThat(typed.connected).filteredOn(e -> e.sessionId() == session).hasSize(1);
        assertThat(typed.httpDisconnected)
                .filteredOn(e -> e.sessionId() == session)
                .hasSize(1);
        assertThat(typed.disconnected).filteredOn(e -> e.sessionId() == session).hasSize(1);
    }

    /** Sends one request on a new TLS connection and returns its events once it has closed. */
    private List<String> exchange(String request) throws Exception {
        try (Socket socket = TestHttps.tlsSocket(port, null);
                RawHttpConnection client = new RawHttpConnection(socket)) {
            // one write: the request arrives as one TLS record, so one HTTPS ON_DATA
            client.send(request.getBytes(StandardCharsets.US_ASCII));
            client.read();
            assertThat(client.closedByServer()).isTrue();
            return awaitSession(socket.getLocalPort(), "HTTPS DISCONNECTED");
        }
    }

    /** Waits until the session of the client at {@code clientPort} posted {@code last}, then returns its events. */
    private List<String> awaitSession(int clientPort, String last) {
        return await().atMost(DEADLINE).until(() -> recorder.of(clientPort), events -> events.contains(last));
    }

    static String describe(ServerApplicationEvent event) {
        return (event instanceof HttpsServerApplicationEvent ? "HTTPS " : "HTTP ") + event.eventName();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({EventRecorder.class, TypedListeners.class, Handlers.class})
    static class Application {}

    static class EventRecorder {
        final List<ServerApplicationEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ServerApplicationEvent event) {
            events.add(event);
        }

        List<String> ofSession(int sessionId) {
            return events.stream()
                    .filter(event -> event.sessionId() == sessionId)
                    .map(ServerEventsApplicationTests::describe)
                    .toList();
        }

        List<String> of(int clientPort) {
            return events.stream()
                    .filter(event -> event.remoteAddress() != null
                            && event.remoteAddress().getPort() == clientPort)
                    .map(ServerEventsApplicationTests::describe)
                    .toList();
        }
    }

    static class TypedListeners {
        final List<HttpsServerConnectedEvent> connected = new CopyOnWriteArrayList<>();
        final List<HttpServerConnectedEvent> httpConnected = new CopyOnWriteArrayList<>();
        final List<HttpsServerDisconnectedEvent> disconnected = new CopyOnWriteArrayList<>();
        final List<HttpServerDisconnectedEvent> httpDisconnected = new CopyOnWriteArrayList<>();
        final List<HttpServerDataEvent> data = new CopyOnWriteArrayList<>();
        final List<HttpServerErrorEvent> errors = new CopyOnWriteArrayList<>();

        @EventListener
        void on(HttpsServerConnectedEvent event) {
            connected.add(event);
        }

        @EventListener
        void on(HttpServerConnectedEvent event) {
            httpConnected.add(event);
        }

        @EventListener
        void on(HttpsServerDisconnectedEvent event) {
            disconnected.add(event);
        }

        @EventListener
        void on(HttpServerDisconnectedEvent event) {
            httpDisconnected.add(event);
        }

        @EventListener
        void on(HttpServerDataEvent event) {
            data.add(event);
        }

        @EventListener
        void on(HttpServerErrorEvent event) {
            errors.add(event);
        }
    }

    static class Handlers {
        final LinkedBlockingQueue<Integer> webSocketSessions = new LinkedBlockingQueue<>();

        @UriMapping(uri = "/ws", webSocket = true)
        void webSocket(HttpRequest request) throws java.io.IOException {
            WebSocket ws = WebSocket.of(request).orElseThrow();
            if (request.method() == HttpMethod.GET) {
                webSocketSessions.add(request.session().id());
                return;
            }
            ws.sendFrame(WsFrame.text(ws.recvFrame(125).text()));
        }

        @UriMapping(uri = "/hello")
        String hello() {
            return "hello";
        }

        @UriMapping(uri = "/upload", method = HttpMethod.POST)
        String upload(HttpRequest request) throws java.io.IOException {
            byte[] buffer = new byte[64];
            int total = 0;
            for (int n; (n = request.recv(buffer, 0, buffer.length)) > 0; ) {
                total += n;
            }
            return "received " + total;
        }
    }
}
