package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.WebSocketTest.Listener;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * WebSocket frames advance the LRU clock, as ESP stamps a session after every processed request
 * or frame: a WebSocket in use is not the victim of an LRU purge just because its handshake was
 * the oldest event, an HTTP client idle since then is.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(WsTransport.class)
class WebSocketLruTest {

    /** The {@code websocket} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("websocket");

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final WsTransport transport;
    private final AtomicInteger webSocketSession = new AtomicInteger();

    WebSocketLruTest(WsTransport transport) {
        this.transport = transport;
    }

    @Test
    void theBusiestWebSocketIsNotTheLruVictimTheIdleHttpSessionIs() throws Exception {
        HttpServer server = transport.start(fixture, b -> b.maxOpenSockets(2).lruPurgeEnable(true));
        server.registerUriHandler(UriHandler.of(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id()))));
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (req, resp) -> {
                    webSocketSession.set(req.session().id());
                    WebSocketTest.ECHO.handle(req, resp);
                },
                null));
        Listener listener = new Listener();
        java.net.http.WebSocket webSocket = transport.connect(fixture, server, "/ws", listener);
        Await.until("the WebSocket session is known", () -> webSocketSession.get() != 0);
        int wsId = webSocketSession.get();
        ServerFixture.awaitIdle(server, wsId);

        // served after the handshake: by the handshake alone, the WebSocket is the older session
        RawClient http = transport.raw(fixture, server);
        int httpId = Integer.parseInt(http.exchange(GET).bodyText());
        ServerFixture.awaitIdle(server, httpId);

        webSocket.sendText("still here", true).get(20, TimeUnit.SECONDS);
        assertThat(listener.messages.poll(20, TimeUnit.SECONDS)).isEqualTo("still here");
        ServerFixture.awaitIdle(server, wsId);

        RawClient arriving = transport.raw(fixture, server);

        assertThat(arriving.exchange(GET).status()).isEqualTo(200);
        assertThat(http.closedByServer()).as("the idle HTTP session was purged").isTrue();
        assertThat(server.clientList()).contains(wsId).doesNotContain(httpId);
        webSocket.sendText("and still", true).get(20, TimeUnit.SECONDS);
        assertThat(listener.messages.poll(20, TimeUnit.SECONDS)).isEqualTo("and still");
    }
}
