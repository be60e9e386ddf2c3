package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The handshake runs on the session's own thread under the handshake timeout: a client that never
 * finishes it is closed at the timeout, whether silent, stopping half-way or dripping bytes, and
 * meanwhile every other client is served.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class HandshakeTimeoutTest {

    @Parameter
    TlsEngine engine;

    private static final Duration SHORT = Duration.ofMillis(500);

    @Test
    void theDefaultHandshakeTimeoutIsTenSeconds() {
        assertThat(HttpsServerConfig.builder()
                        .engine(engine)
                        .serverKey(TlsFixtures.SERVER)
                        .build()
                        .handshakeTimeout())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aSilentClientIsClosedAtTheTimeoutAndReported() throws Exception {
        EventRecorder events = new EventRecorder();
        List<TlsSessionEvent> callbacks = new CopyOnWriteArrayList<>();
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.handshakeTimeout(SHORT)
                                .sessionCallback(callbacks::add)
                                .httpd(HttpServerConfig.builder()
                                        .eventListener(events)
                                        .build()));
                Socket silent = connect(server)) {
            long started = System.nanoTime();

            assertThat(closedByServer(silent)).isTrue();
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(waited).isBetween(SHORT.minusMillis(50), Duration.ofSeconds(10));
            HttpsServerEvent.Error error = (HttpsServerEvent.Error) events.await("HTTPS ERROR", TlsFixtures.PATIENCE);
            assertThat(error.error().exceptionType()).isEqualTo("SocketTimeoutException");
            assertThat(error.error().message()).contains("not finished within 500 ms");
            assertThat(error.remoteAddress().getPort()).isEqualTo(silent.getLocalPort());
            events.await("HTTP DISCONNECTED", error.sessionId(), TlsFixtures.PATIENCE);
            assertThat(events.labels(error.sessionId())).containsExactly("HTTPS ERROR", "HTTP DISCONNECTED");
            assertThat(callbacks).singleElement().satisfies(event -> {
                assertThat(event.state()).isEqualTo(TlsSessionEvent.State.ERROR);
                assertThat(event.session().remoteAddress().getPort()).isEqualTo(silent.getLocalPort());
            });
        }
    }

    @Test
    void aClientStoppingHalfWayThroughItsHelloIsClosedAtTheTimeout() throws Exception {
        byte[] hello = clientHello();
        EventRecorder events = new EventRecorder();
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.handshakeTimeout(SHORT)
                                .httpd(HttpServerConfig.builder()
                                        .eventListener(events)
                                        .build()));
                Socket partial = connect(server)) {
            partial.getOutputStream().write(hello, 0, hello.length / 2);
            long started = System.nanoTime();

            assertThat(closedByServer(partial)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(((HttpsServerEvent.Error) events.await("HTTPS ERROR", TlsFixtures.PATIENCE))
                            .error()
                            .message())
                    .contains("not finished within 500 ms");
        }
    }

    @Test
    void aClientDrippingItsHelloByteByByteIsClosedAtTheTimeout() throws Exception {
        byte[] hello = clientHello();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        EventRecorder events = new EventRecorder();
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.handshakeTimeout(SHORT)
                                .httpd(HttpServerConfig.builder()
                                        .eventListener(events)
                                        .build()));
                Socket dripping = connect(server)) {
            OutputStream out = dripping.getOutputStream();
            AtomicInteger sent = new AtomicInteger();
            // one byte every 100 ms: each read succeeds long before a read timeout would fire
            drip.scheduleAtFixedRate(
                    () -> {
                        int i = sent.getAndIncrement();
                        if (i < hello.length - 1) {
                            try {
                                out.write(hello[i]);
                            } catch (IOException e) {
                                throw new IllegalStateException("closed", e);
                            }
                        }
                    },
                    0,
                    100,
                    TimeUnit.MILLISECONDS);
            long started = System.nanoTime();

            assertThat(closedByServer(dripping)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(((HttpsServerEvent.Error) events.await("HTTPS ERROR", TlsFixtures.PATIENCE))
                            .error()
                            .message())
                    .contains("not finished within 500 ms");
            assertThat(sent.get())
                    .as("closed long before the hello was complete")
                    .isLessThan(hello.length - 1);
        } finally {
            drip.shutdownNow();
        }
    }

    @Test
    void clientsStuckInTheirHandshakeDoNotDelayOthers() throws Exception {
        EventRecorder events = new EventRecorder();
        try (TlsTestServer server = TlsTestServer.start(
                engine,
                b -> b.handshakeTimeout(Duration.ofSeconds(60))
                        .httpd(HttpServerConfig.builder().eventListener(events).build()))) {
            List<Socket> stuck = new ArrayList<>();
            try {
                byte[] hello = clientHello();
                for (int i = 0; i < 3; i++) {
                    Socket socket = connect(server);
                    stuck.add(socket);
                    if (i == 1) {
                        socket.getOutputStream().write(hello, 0, 20);
                    }
                }
                var client = TlsFixtures.clientContext(null);
                for (int i = 0; i < 10; i++) {
                    assertThat(TlsFixtures.fetch(client, server.port(), "/tls", p -> {})
                                    .status())
                            .isEqualTo(200);
                }

                assertThat(events.labels()).doesNotContain("HTTPS ERROR");
                assertThat(server.https().httpServer().openSessions()).isGreaterThanOrEqualTo(3);
            } finally {
                for (Socket socket : stuck) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aSessionInItsHandshakeIsNeverPurgedItsTimeoutFreesTheSlot() throws Exception {
        EventRecorder events = new EventRecorder();
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.handshakeTimeout(SHORT)
                                .httpd(HttpServerConfig.builder()
                                        .maxOpenSockets(1)
                                        .lruPurgeEnable(true)
                                        .eventListener(events)
                                        .build()));
                Socket silent = connect(server)) {
            int silentSession =
                    events.await(e -> e.sessionId() > 0, TlsFixtures.PATIENCE).sessionId();

            // the only slot is taken by a handshake: LRU purge must wait for its timeout
            var response = TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/tls", p -> {});

            assertThat(response.status()).isEqualTo(200);
            assertThat(closedByServer(silent)).isTrue();
            HttpsServerEvent.Error error = (HttpsServerEvent.Error) events.await("HTTPS ERROR", TlsFixtures.PATIENCE);
            assertThat(error.sessionId()).isEqualTo(silentSession);
            assertThat(error.error().message())
                    .as("closed by its timeout, not purged")
                    .contains("not finished within");
        }
    }

    @Test
    void anEstablishedSessionOutlivesTheHandshakeTimeout() throws Exception {
        EventRecorder events = new EventRecorder();
        CountDownLatch otherTimedOut = new CountDownLatch(1);
        try (TlsTestServer server = TlsTestServer.start(
                engine,
                b -> b.handshakeTimeout(SHORT)
                        .httpd(HttpServerConfig.builder()
                                .eventListener(events)
                                .eventListener(e -> {
                                    if (e instanceof HttpsServerEvent.Error) {
                                        otherTimedOut.countDown();
                                    }
                                })
                                .build()))) {
            server.https()
                    .httpServer()
                    .registerUriHandler(UriHandler.of("/after-a-timeout", HttpMethod.GET, (req, resp) -> {
                        // a handshake timeout has certainly passed for this session too by then
                        resp.send(otherTimedOut.await(20, TimeUnit.SECONDS) ? "waited" : "not waited");
                    }));
            try (SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                    RawClient client = new RawClient(socket)) {
                CompletableFuture<RawClient.Response> slow = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.exchange("GET /after-a-timeout HTTP/1.1\r\nHost: x\r\n\r\n");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                try (Socket silent = connect(server)) {
                    assertThat(closedByServer(silent)).isTrue();
                }

                assertThat(slow.get(20, TimeUnit.SECONDS).bodyText()).isEqualTo("waited");
                assertThat(client.exchange("GET /tls HTTP/1.1\r\nHost: x\r\n\r\n")
                                .status())
                        .isEqualTo(200);
            }
        }
    }

    private static Socket connect(TlsTestServer server) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        return socket;
    }

    /** True when the server closed (EOF or reset) before the read timeout. */
    private static boolean closedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The bytes of a real TLS ClientHello, made by a client-mode SSLEngine. */
    static byte[] clientHello() throws Exception {
        SSLEngine engine = TlsFixtures.clientContext(null).createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        assertThat(hello[0]).as("a handshake record").isEqualTo((byte) 0x16);
        return hello;
    }
}
