package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.Await;
import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.UriMatcher;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SECURE mode wraps the HTTP server as {@code httpd_ssl_start} wraps {@code httpd_start}: TLS on
 * {@code portSecure} (0 works), every HTTP setting honoured over TLS, and stop in ESP's order.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class SecureModeTest {

    @Parameter
    TlsEngine engine;

    private static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private final EventRecorder events = new EventRecorder();

    /** The common pool may have a single worker: each blocking task gets a thread of its own. */
    private static final Executor ON_ITS_OWN_THREAD = task -> Thread.ofVirtual().start(task);

    @Test
    void tlsIsServedOnAnEphemeralSecurePortAndNoOtherPortIsBound() throws Exception {
        try (ServerSocket insecure = new ServerSocket(0);
                ServerSocket httpdPort = new ServerSocket(0);
                TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.portInsecure(insecure.getLocalPort())
                                .httpd(HttpServerConfig.builder()
                                        .serverPort(httpdPort.getLocalPort())
                                        .build()))) {
            assertThat(server.port()).isPositive().isNotIn(insecure.getLocalPort(), httpdPort.getLocalPort());
            assertThat(server.https().httpServer().port()).isEqualTo(server.port());
            assertThat(server.https().transportMode()).isEqualTo(TransportMode.SECURE);
            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/tls", p -> {})
                            .bodyText())
                    .startsWith("protocol=TLSv1.3");
        }
    }

    @Test
    void httpSettingsAreHonouredOverTls() throws Exception {
        List<Object> freed = new CopyOnWriteArrayList<>();
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.httpd(HttpServerConfig.builder()
                                .maxUriLen(64)
                                .maxReqHdrLen(256)
                                .uriMatcher(UriMatcher.wildcard())
                                .globalUserContext("app state", freed::add)
                                .build()));
                SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                RawClient client = new RawClient(socket)) {
            var http = server.https().httpServer();
            http.registerUriHandler(UriHandler.of(
                    "/files/*",
                    HttpMethod.GET,
                    (req, resp) ->
                            resp.send(req.path() + " " + req.session().server().globalUserContext())));
            http.registerErrorHandler(HttpError.NOT_FOUND_404, (req, resp, error) -> {
                resp.status(404).send("custom not found");
                return true;
            });

            assertThat(client.exchange("GET /files/a HTTP/1.1\r\nHost: x\r\n\r\n")
                            .bodyText())
                    .isEqualTo("/files/a app state");
            assertThat(client.exchange("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
                            .bodyText())
                    .isEqualTo("custom not found");
            assertThat(client.exchange("GET /files/" + "u".repeat(100) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                            .status())
                    .isEqualTo(414);
            try (RawClient other = new RawClient(TlsFixtures.connect(TlsFixtures.clientContext(null), server.port()))) {
                assertThat(other.exchange("GET /files/a HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(400) + "\r\n\r\n")
                                .status())
                        .isEqualTo(431);
            }
            server.close();
            assertThat(freed).containsExactly("app state");
        }
    }

    @Test
    void largeBodiesTravelBothWaysOverTls() throws Exception {
        byte[] upload = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(42).nextBytes(upload);
        try (TlsTestServer server = TlsTestServer.start(engine);
                HttpClient client = TlsFixtures.httpClient(TlsFixtures.clientContext(null))) {
            server.https().httpServer().registerUriHandler(UriHandler.of("/echo", HttpMethod.POST, (req, resp) -> {
                byte[] body = req.body().readAllBytes();
                resp.sendChunk(body, 0, body.length / 2);
                resp.sendChunk(body, body.length / 2, body.length - body.length / 2);
                resp.sendChunk(new byte[0], 0, 0);
            }));

            var response = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/echo"))
                            .timeout(TlsFixtures.PATIENCE)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(upload))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(upload);
        }
    }

    @Test
    void theIdleTimeoutClosesAnIdleTlsSessionWithoutATlsError() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.httpd(HttpServerConfig.builder()
                                .idleTimeout(Duration.ofMillis(300))
                                .eventListener(events)
                                .build()));
                SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                RawClient client = new RawClient(socket)) {
            assertThat(client.exchange(REQUEST).status()).isEqualTo(200);
            int session =
                    events.await("HTTPS ON_CONNECTED", TlsFixtures.PATIENCE).sessionId();

            events.await("HTTPS DISCONNECTED", session, TlsFixtures.PATIENCE);

            assertThat(client.closedByServer()).isTrue();
            assertThat(events.labels(session)).doesNotContain("HTTPS ERROR", "HTTP ERROR");
        }
    }

    @Test
    void stopClosesTlsSessionsInOrderThenPostsHttpStopAndHttpsStop() throws Exception {
        List<String> callbacks = new CopyOnWriteArrayList<>();
        TlsTestServer server = TlsTestServer.start(
                engine,
                b -> b.sessionCallback(e -> callbacks.add(e.state() + ""))
                        .httpd(HttpServerConfig.builder().eventListener(events).build()));
        int port = server.port();
        try (SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), port);
                RawClient client = new RawClient(socket)) {
            assertThat(client.exchange(REQUEST).status()).isEqualTo(200);
            int session =
                    events.await("HTTPS ON_CONNECTED", TlsFixtures.PATIENCE).sessionId();

            server.close();
            server.close();

            assertThat(client.closedByServer()).isTrue();
            assertThat(callbacks).containsExactly("CREATE", "CLOSE");
            List<String> all = events.labels();
            assertThat(all.subList(all.size() - 4, all.size()))
                    .containsExactly("HTTP DISCONNECTED", "HTTPS DISCONNECTED", "HTTP STOP", "HTTPS STOP");
            assertThat(events.labels(session)).endsWith("HTTP DISCONNECTED", "HTTPS DISCONNECTED");
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(IOException.class);
    }

    @Test
    void aGracefulStopLetsARequestInFlightFinish() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TlsTestServer server = TlsTestServer.start(engine);
        server.https().httpServer().registerUriHandler(UriHandler.of("/slow", HttpMethod.GET, (req, resp) -> {
            inHandler.countDown();
            resp.send(release.await(20, TimeUnit.SECONDS) ? "finished" : "timed out");
        }));
        try (SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                RawClient client = new RawClient(socket)) {
            CompletableFuture<RawClient.Response> response = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.exchange("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(inHandler.await(20, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> stopped =
                    CompletableFuture.supplyAsync(() -> server.https().stop(Duration.ofSeconds(20)));

            release.countDown();

            assertThat(response.get(20, TimeUnit.SECONDS).bodyText()).isEqualTo("finished");
            assertThat(stopped.get(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            server.close();
        }
    }

    @Test
    void aGracefulStopServesTheFirstRequestOfConnectionsAcceptedBeforeIt() throws Exception {
        TlsTestServer server = TlsTestServer.start(
                engine,
                b -> b.httpd(HttpServerConfig.builder().maxOpenSockets(2).build()));
        SSLContext context = TlsFixtures.clientContext(null);
        try (RawClient idle = new RawClient(TlsFixtures.connect(context, server.port()));
                RawClient silent = new RawClient(TlsFixtures.connect(context, server.port()))) {
            assertThat(idle.exchange(REQUEST).status()).isEqualTo(200);
            Await.until("both sessions open", () -> server.https().httpServer().openSessions() == 2);
            // every slot is taken: the kernel queues this one, its handshake waits for the server
            CompletableFuture<SSLSocket> queued = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return TlsFixtures.connect(context, server.port());
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    ON_ITS_OWN_THREAD);

            CompletableFuture<Boolean> stopped =
                    CompletableFuture.supplyAsync(() -> server.https().stop(Duration.ofSeconds(20)), ON_ITS_OWN_THREAD);
            assertThat(idle.closedByServer())
                    .as("the idle keep-alive session is closed")
                    .isTrue();

            try (RawClient late = new RawClient(queued.get(30, TimeUnit.SECONDS))) {
                for (RawClient client : List.of(silent, late)) {
                    RawClient.Response response = client.exchange(REQUEST);
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.header("Connection")).isEqualTo("close");
                    assertThat(client.closedByServer()).isTrue();
                }
            }
            assertThat(stopped.get(30, TimeUnit.SECONDS))
                    .as("every session ended by itself")
                    .isTrue();
        } finally {
            server.close();
        }
    }

    @Test
    void aStopAtOnceDuringAGracefulStopCutsItShortAndEachStopIsPostedOnceInOrder() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TlsTestServer server = TlsTestServer.start(
                engine,
                b -> b.httpd(HttpServerConfig.builder().eventListener(events).build()));
        server.https().httpServer().registerUriHandler(UriHandler.of("/slow", HttpMethod.GET, (req, resp) -> {
            inHandler.countDown();
            resp.send(release.await(60, TimeUnit.SECONDS) ? "finished" : "timed out");
        }));
        try (SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                RawClient client = new RawClient(socket)) {
            client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(inHandler.await(20, TimeUnit.SECONDS)).isTrue();
            // a grace period far longer than the test: only the stop at once can end it
            int port = server.port();
            CompletableFuture<Boolean> graceful =
                    CompletableFuture.supplyAsync(() -> server.https().stop(Duration.ofMinutes(10)));
            Await.until("the graceful stop closed the listener", () -> refuses(port));
            server.https().stop();

            assertThat(graceful.get(60, TimeUnit.SECONDS))
                    .as("a graceful stop cut short is not clean")
                    .isFalse();
            assertThat(client.closedByServer()).isTrue();
            List<String> all = events.labels();
            assertThat(all.stream().filter(label -> label.endsWith(" STOP")))
                    .containsExactly("HTTP STOP", "HTTPS STOP");
        } finally {
            release.countDown();
            server.close();
        }
    }

    private static boolean refuses(int port) {
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void aSecurePortInUseFailsTheStartAndLeavesNoThreadBehind() throws Exception {
        long before = timerThreads();
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> TlsTestServer.start(engine, b -> b.portSecure(taken.getLocalPort()))
                            .close())
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
        long deadline = System.nanoTime() + TlsFixtures.PATIENCE.toNanos();
        while (timerThreads() > before && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertThat(timerThreads()).isLessThanOrEqualTo(before);
    }

    private static long timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("httpsd-tls-timer"))
                .count();
    }
}
