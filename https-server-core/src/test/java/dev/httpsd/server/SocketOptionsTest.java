package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The socket settings of {@code httpd_config_t}, read back from the accepted sockets: {@code
 * enable_so_linger}/{@code linger_timeout} (SO_LINGER, set just before the close hook), {@code
 * keep_alive_*} (SO_KEEPALIVE and the TCP keep-alive timers), and {@code backlog_conn}, whose
 * effect shows when every session slot is taken: the kernel then holds as many waiting clients as
 * the backlog allows, and no more.
 */
class SocketOptionsTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final Map<String, Object> options = new ConcurrentHashMap<>();

    private HttpServer start(WsTransport transport, java.util.function.UnaryOperator<HttpServerConfig.Builder> config)
            throws Exception {
        Map<Integer, Socket> sockets = new ConcurrentHashMap<>();
        HttpServer server = transport.start(
                fixture,
                b -> config.apply(b)
                        .openHook(TransportHook.of((session, setup) -> sockets.put(session.id(), setup.socket())))
                        .closeHook(session -> {
                            try {
                                options.put(
                                        "linger at close",
                                        sockets.get(session.id()).getSoLinger());
                            } catch (IOException e) {
                                options.put("linger at close", e);
                            }
                        }));
        server.registerUriHandler(UriHandler.of("/options", HttpMethod.GET, (req, resp) -> {
            Socket socket = sockets.get(req.session().id());
            options.put("linger while open", socket.getSoLinger());
            options.put("keep-alive", socket.getKeepAlive());
            if (socket.getKeepAlive()) {
                options.put("idle", socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
                options.put("interval", socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
                options.put("count", socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
            }
            resp.closeSession();
            resp.send("ok");
        }));
        return server;
    }

    private void request(WsTransport transport, HttpServer server) throws Exception {
        RawClient client = transport.raw(fixture, server);
        assertThat(client.exchange("GET /options HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                .isEqualTo("ok");
        assertThat(client.closedByServer()).isTrue();
        Await.until("the close hook ran", () -> options.containsKey("linger at close"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WsTransport.class)
    void soLingerIsSetWithItsTimeoutJustBeforeTheSessionCloses(WsTransport transport) throws Exception {
        HttpServer server = start(transport, b -> b.enableSoLinger(true).lingerTimeout(Duration.ofSeconds(3)));

        request(transport, server);

        assertThat(options).containsEntry("linger while open", -1).containsEntry("linger at close", 3);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WsTransport.class)
    void withoutSoLingerTheSocketClosesWithTheSystemDefault(WsTransport transport) throws Exception {
        HttpServer server = start(transport, b -> b);

        request(transport, server);

        assertThat(options).containsEntry("linger at close", -1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WsTransport.class)
    void tcpKeepAliveIsOnWithTheConfiguredTimers(WsTransport transport) throws Exception {
        HttpServer server = start(
                transport,
                b -> b.keepAliveEnable(true)
                        .keepAliveIdle(Duration.ofSeconds(7))
                        .keepAliveInterval(Duration.ofSeconds(2))
                        .keepAliveCount(4));

        request(transport, server);

        assertThat(options)
                .containsEntry("keep-alive", true)
                .containsEntry("idle", 7)
                .containsEntry("interval", 2)
                .containsEntry("count", 4);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WsTransport.class)
    void tcpKeepAliveIsOffByDefaultAsInEsp(WsTransport transport) throws Exception {
        HttpServer server = start(transport, b -> b);

        request(transport, server);

        assertThat(options).containsEntry("keep-alive", false);
    }

    @Test
    void withEverySlotTakenTheBacklogDecidesHowManyClientsWaitInTheKernel() throws Exception {
        int small = waitingClients(2);
        int large = waitingClients(6);

        // Linux queues backlog + 1 connections; other systems may round differently
        assertThat(small).isBetween(2, 3);
        assertThat(large - small).isEqualTo(4);
    }

    /**
     * With the one session slot taken and LRU purge off, the server accepts no more: counts the
     * clients whose connection the kernel completes before one is left waiting for its SYN.
     */
    private int waitingClients(int backlog) throws Exception {
        HttpServer server =
                fixture.start(b -> b.maxOpenSockets(1).lruPurgeEnable(false).backlogConn(backlog));
        fixture.connect(server); // takes the slot
        Await.until("the first client has the slot", () -> server.openSessions() == 1);
        List<Socket> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < backlog + 10; i++) {
                Socket socket = new Socket();
                waiting.add(socket);
                try {
                    // a dropped SYN: the accept queue is full. Never a race: no one accepts meanwhile
                    socket.connect(new InetSocketAddress(server.localAddress().getAddress(), server.port()), 1000);
                } catch (SocketTimeoutException e) {
                    return i;
                }
            }
            throw new AssertionError("the kernel never stopped completing connections");
        } finally {
            for (Socket socket : waiting) {
                socket.close();
            }
            server.stop();
        }
    }
}
