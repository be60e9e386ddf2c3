package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TlsFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server in ESP-defaults mode ({@link HttpServerConfig#espIdfDefaults()}, {@link
 * HttpsServerConfig#espIdfDefaults()}) meets each of ESP's limits as a client of an ESP32 device
 * would: the 8th open socket waits in the backlog (the 5th purges the least recently used one on
 * HTTPS), a request line over 512 bytes is 414 and a header section over 512 bytes (its final
 * empty line counted) is 431, the 9th handler is HANDLERS_FULL, the 9th response header RESP_HDR,
 * a default error response closes the connection, and where ESP answers nothing nothing is sent.
 */
class EspIdfDefaultsTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    /** An ESP-defaults server over this transport: HTTP 7 sessions, HTTPS 4 with LRU purge. */
    HttpServer start(WsTransport transport) throws IOException {
        if (transport == WsTransport.WS) {
            return fixture.start(HttpServerConfig.espIdfDefaults()
                    .serverPort(0)
                    .bindAddress(InetAddress.getLoopbackAddress())
                    .build());
        }
        HttpsServer https = HttpsServer.start(HttpsServerConfig.espIdfDefaults()
                .httpd(h -> h.bindAddress(InetAddress.getLoopbackAddress()))
                .portSecure(0)
                .serverKey(TlsFixtures.SERVER)
                .build());
        fixture.track(https::stop);
        return https.httpServer();
    }

    /** Limits that hold the same over plain HTTP and TLS. */
    @Nested
    @ParameterizedClass(name = "{0}")
    @EnumSource(WsTransport.class)
    class Limits {

        private final WsTransport transport;

        Limits(WsTransport transport) {
            this.transport = transport;
        }

        @Test
        void aRequestLineOver512BytesIs414CountedAsEspCountsIt() throws Exception {
            HttpServer server = start(transport);
            server.registerUriHandler(UriHandler.of("/*", HttpMethod.GET, (req, resp) -> resp.send("ok")));
            // "GET " + target + " HTTP/1.1": 13 bytes around the target
            String fits = "/" + "a".repeat(512 - 13 - 1);
            String over = fits + "a";
            String uri513 = "/" + "b".repeat(512);

            RawClient client = transport.raw(fixture, server);
            RawClient.Response atLimit = client.exchange("GET " + fits + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(atLimit.status())
                    .as("a request line of exactly 512 bytes reaches routing")
                    .isEqualTo(404);
            assertThat(atLimit.header("Connection"))
                    .as("ESP closes after a default error")
                    .isEqualTo("close");
            RawClient.Response lineOver =
                    transport.raw(fixture, server).exchange("GET " + over + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(lineOver.statusLine()).isEqualTo("HTTP/1.1 414 URI Too Long");
            assertThat(lineOver.bodyText()).isEqualTo("URI is too long");
            assertThat(transport
                            .raw(fixture, server)
                            .exchange("GET " + uri513 + " HTTP/1.1\r\nHost: x\r\n\r\n")
                            .status())
                    .as("a 513-byte URI")
                    .isEqualTo(414);
        }

        @Test
        void aHeaderSectionOver512BytesWithItsFinalEmptyLineIs431() throws Exception {
            HttpServer server = start(transport);
            server.registerUriHandler(UriHandler.of("/", HttpMethod.GET, (req, resp) -> resp.send("ok")));
            String host = "Host: x\r\n"; // 9 bytes
            // the section: Host line + X line + the final CRLF
            String fits = host + "X: " + "a".repeat(512 - 9 - 2 - 5) + "\r\n" + "\r\n";
            String over = host + "X: " + "a".repeat(512 - 9 - 2 - 5 + 1) + "\r\n" + "\r\n";
            assertThat(fits).hasSize(512);

            assertThat(transport
                            .raw(fixture, server)
                            .exchange("GET / HTTP/1.1\r\n" + fits)
                            .bodyText())
                    .isEqualTo("ok");
            RawClient.Response response = transport.raw(fixture, server).exchange("GET / HTTP/1.1\r\n" + over);
            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
            assertThat(response.bodyText()).isEqualTo("Header fields are too long");
        }

        @Test
        void theNinthUriHandlerIsHandlersFull() throws Exception {
            HttpServer server = start(transport);
            for (int i = 1; i <= 8; i++) {
                server.registerUriHandler(UriHandler.of("/h" + i, HttpMethod.GET, (req, resp) -> resp.send("ok")));
            }

            assertThatThrownBy(() -> server.registerUriHandler(
                            UriHandler.of("/h9", HttpMethod.GET, (req, resp) -> resp.send("ok"))))
                    .isInstanceOfSatisfying(
                            HttpServerException.class,
                            e -> assertThat(e.reason()).isEqualTo(HttpServerException.Reason.HANDLERS_FULL));
            assertThat(transport
                            .raw(fixture, server)
                            .exchange("GET /h8 HTTP/1.1\r\nHost: x\r\n\r\n")
                            .bodyText())
                    .isEqualTo("ok");
        }

        @Test
        void theNinthResponseHeaderIsRespHdr() throws Exception {
            HttpServer server = start(transport);
            AtomicReference<Object> ninth = new AtomicReference<>();
            server.registerUriHandler(UriHandler.of("/headers", HttpMethod.GET, (req, resp) -> {
                for (int i = 1; i <= 8; i++) {
                    resp.header("X-Header-" + i, String.valueOf(i));
                }
                try {
                    resp.header("X-Header-9", "9");
                } catch (HttpServerException e) {
                    ninth.set(e.reason());
                }
                resp.send("eight");
            }));

            RawClient.Response response =
                    transport.raw(fixture, server).exchange("GET /headers HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(ninth.get()).isEqualTo(HttpServerException.Reason.RESP_HDR);
            assertThat(response.header("X-Header-8")).isEqualTo("8");
            assertThat(response.header("X-Header-9")).isNull();
        }

        @Test
        void aDefault404ClosesTheConnectionAsEspDoes() throws Exception {
            HttpServer server = start(transport);
            RawClient client = transport.raw(fixture, server);

            RawClient.Response response = client.exchange("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
            assertThat(response.bodyText()).isEqualTo("Nothing matches the given URI");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }

        @Test
        void aFailedWebSocketHandshakeIsClosedWithoutAnAnswerAsEspDoes() throws Exception {
            HttpServer server = start(transport);
            server.registerUriHandler(UriHandler.webSocket("/ws", WebSocketTest.ECHO, null));
            RawClient client = transport.raw(fixture, server);

            client.send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

            assertThat(client.readToEnd()).isEmpty();
        }
    }

    @Test
    void theEighthOpenSocketWaitsInTheBacklogUntilASlotFrees() throws Exception {
        HttpServer server = start(WsTransport.WS);
        server.registerUriHandler(UriHandler.of("/", HttpMethod.GET, (req, resp) -> resp.send("ok")));
        List<RawClient> seven = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            RawClient client = fixture.connect(server);
            assertThat(client.exchange(GET).bodyText()).isEqualTo("ok");
            seven.add(client);
        }

        RawClient eighth = fixture.connect(server); // the kernel completes it: backlog 5
        eighth.send(GET);
        eighth.timeout(500);
        assertThatThrownBy(() -> eighth.socket().getInputStream().read())
                .as("no session for the eighth client while seven are open and LRU purge is off")
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(server.openSessions()).isEqualTo(7);

        seven.getFirst().close();

        eighth.timeout(30_000);
        assertThat(eighth.read().bodyText()).isEqualTo("ok");
        for (RawClient client : seven.subList(1, 7)) {
            assertThat(client.exchange(GET).bodyText())
                    .as("the others keep their sessions")
                    .isEqualTo("ok");
        }
    }

    @Test
    void theFifthTlsSocketPurgesTheLeastRecentlyUsedSession() throws Exception {
        HttpServer server = start(WsTransport.WSS);
        server.registerUriHandler(UriHandler.of(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id()))));
        List<RawClient> four = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RawClient client = WsTransport.WSS.raw(fixture, server);
            int id = Integer.parseInt(client.exchange(GET).bodyText());
            ServerFixture.awaitIdle(server, id); // used in this order: the first is the LRU one
            four.add(client);
            ids.add(id);
        }

        RawClient fifth = WsTransport.WSS.raw(fixture, server);

        assertThat(fifth.exchange(GET).status()).isEqualTo(200);
        assertThat(four.getFirst().closedByServer()).isTrue();
        assertThat(server.clientList()).doesNotContain(ids.getFirst()).containsAll(ids.subList(1, 4));
        assertThat(server.openSessions()).isEqualTo(4);
    }

    @Test
    void theHttpsPresetIsHttpdSslConfigDefaultAndExplicitValuesWin() {
        HttpsServerConfig esp =
                HttpsServerConfig.espIdfDefaults().serverKey(TlsFixtures.SERVER).build();

        assertThat(esp.httpd().maxOpenSockets()).isEqualTo(4);
        assertThat(esp.httpd().lruPurgeEnable()).isTrue();
        assertThat(esp.httpd().maxUriHandlers()).isEqualTo(8);
        assertThat(esp.httpd().espIdfCompatible()).isTrue();
        assertThat(esp.sessionTickets()).isFalse();
        assertThat(esp.alpnProtocols()).isEmpty();
        assertThat(esp.handshakeTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));

        HttpsServerConfig mine = HttpsServerConfig.espIdfDefaults()
                .serverKey(TlsFixtures.SERVER)
                .sessionTickets(true)
                .httpd(h -> h.maxOpenSockets(16))
                .build();
        assertThat(mine.sessionTickets()).isTrue();
        assertThat(mine.httpd().maxOpenSockets()).isEqualTo(16);
        assertThat(mine.httpd().maxRespHeaders()).isEqualTo(8);
    }

    @Test
    void theTlsServerOffersNoAlpnAndAnswersPlainHttpWithNothing() throws Exception {
        HttpServer server = start(WsTransport.WSS);
        server.registerUriHandler(UriHandler.of("/", HttpMethod.GET, (req, resp) -> resp.send("ok")));

        try (SSLSocket socket = TlsFixtures.connect(
                TlsFixtures.clientContext(null),
                server.port(),
                parameters -> parameters.setApplicationProtocols(new String[] {"http/1.1"}))) {
            assertThat(socket.getApplicationProtocol())
                    .as("no ALPN, as ESP's alpn_protos NULL")
                    .isEmpty();
            assertThat(new RawClient(socket).exchange(GET).bodyText()).isEqualTo("ok");
        }
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            plain.setSoTimeout(30_000);
            plain.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
            InputStream in = plain.getInputStream();
            assertThat(in.readAllBytes())
                    .as("ESP closes without an HTTP answer")
                    .isEmpty();
        }
    }
}
