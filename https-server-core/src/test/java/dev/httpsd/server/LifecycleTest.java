package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LifecycleTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    /** The common pool may have a single worker: each blocking task gets a thread of its own. */
    private static final Executor ON_ITS_OWN_THREAD = task -> Thread.ofVirtual().start(task);

    @Test
    void portZeroPicksAFreePortReadableThroughPort() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.send("up"));

        assertThat(server.port()).isPositive();
        assertThat(server.localAddress().getPort()).isEqualTo(server.port());
        try (RawClient client = fixture.connect()) {
            assertThat(client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                    .isEqualTo("up");
        }
    }

    @Test
    void twoServersOnPortZeroGetDifferentPorts() throws Exception {
        HttpServer first = fixture.start();
        HttpServer second = fixture.start();

        assertThat(first.port()).isNotEqualTo(second.port());
    }

    @Test
    void bindingAPortInUseFailsWithABindExceptionNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> fixture.start(b -> b.serverPort(port)))
                    .isInstanceOf(BindException.class)
                    .isInstanceOfSatisfying(
                            ListenException.class, e -> assertThat(e.port()).isEqualTo(port))
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("another server");
        }
    }

    @Test
    void stateFollowsStartAndStop() throws Exception {
        EventRecorder events = new EventRecorder();
        HttpServer server = fixture.start(b -> b.eventListener(events));

        assertThat(server.state()).isEqualTo(HttpServerEvent.Id.START);
        assertThat(server.isStopped()).isFalse();
        assertThat(events.all()).first().isInstanceOf(HttpServerEvent.Start.class);

        server.stop();

        assertThat(server.state()).isEqualTo(HttpServerEvent.Id.STOP);
        assertThat(server.isStopped()).isTrue();
        assertThat(events.all()).last().isInstanceOf(HttpServerEvent.Stop.class);
        assertThat(((HttpServerEvent.Stop) events.all().getLast())
                        .localAddress()
                        .getPort())
                .isEqualTo(server.port());
    }

    @Test
    void stopClosesEverySessionAndRunsItsCloseSequence() throws Exception {
        List<Integer> closed = new CopyOnWriteArrayList<>();
        HttpServer server = fixture.start(b -> b.closeHook(s -> closed.add(s.id())));
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.send("ok"));
        RawClient served = fixture.connect();
        served.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        RawClient silent = fixture.connect();
        RawClient halfway = fixture.connect();
        halfway.send("GET / HTTP/1.1\r\nHo");
        Await.until("three sessions", () -> server.openSessions() == 3);
        List<Integer> ids = server.clientList();

        server.stop();

        assertThat(server.openSessions()).isZero();
        assertThat(server.clientList()).isEmpty();
        assertThat(closed).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(served.closedByServer()).isTrue();
        assertThat(silent.closedByServer()).isTrue();
        assertThat(halfway.closedByServer()).isTrue();
    }

    @Test
    void stopClosesASessionWhoseAsyncRequestIsStillOpen() throws Exception {
        CountDownLatch detached = new CountDownLatch(1);
        List<AsyncRequest> pending = new CopyOnWriteArrayList<>();
        HttpServer server = fixture.start();
        fixture.handle("/slow", HttpMethod.GET, (req, resp) -> {
            pending.add(req.beginAsync());
            detached.countDown();
        });
        RawClient client = fixture.connect();
        client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(detached.await(10, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        server.stop();

        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                .as("stop must not wait for its 10 s grace on an async session")
                .isLessThan(8);
        assertThat(server.openSessions()).isZero();
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void stopFreesTheGlobalUserAndTransportContextsOnce() throws Exception {
        List<Object> freed = new CopyOnWriteArrayList<>();
        Object user = new Object();
        Object transport = new Object();
        HttpServer server =
                fixture.start(b -> b.globalUserContext(user, freed::add).globalTransportContext(transport, freed::add));

        assertThat(server.globalUserContext()).isSameAs(user);
        assertThat(server.globalTransportContext()).isSameAs(transport);
        assertThat(freed).isEmpty();

        server.stop();
        server.stop();

        assertThat(freed).containsExactly(user, transport);
    }

    @Test
    void stopUnregistersHandlersAndRefusesNewConnections() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.send("ok"));
        int port = server.port();

        server.stop();

        assertThat(server.uriHandlers()).isEmpty();
        assertThatThrownBy(() -> new java.net.Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(java.net.ConnectException.class);
        assertThatThrownBy(() -> server.queueWork(() -> {})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void gracefulStopLetsARequestInFlightFinishWithConnectionClose() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            inHandler.countDown();
            release.await(10, TimeUnit.SECONDS);
            resp.send("finished");
        });
        RawClient client = fixture.connect();
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();

        Thread stopper = Thread.ofVirtual().start(() -> server.stop(java.time.Duration.ofSeconds(10)));
        Await.until("the server stops accepting", () -> !fixture.portAccepts(server.port()));
        release.countDown();

        RawClient.Response response = client.read();
        assertThat(response.bodyText()).isEqualTo("finished");
        assertThat(response.header("Connection")).isEqualTo("close");
        stopper.join(10_000);
        assertThat(server.isStopped()).isTrue();
    }

    @Test
    void aGracefulStopServesTheFirstRequestOfConnectionsAcceptedBeforeItAndClosesIdleOnes() throws Exception {
        HttpServer server = fixture.start(b -> b.maxOpenSockets(2));
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.send("served"));
        RawClient idle = fixture.connect();
        assertThat(idle.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                .isEqualTo("served");
        RawClient silent = fixture.connect();
        Await.until("both sessions open", () -> server.openSessions() == 2);
        // every slot is taken: the kernel accepts this one into the backlog, the server has not
        RawClient queued = fixture.connect();

        CompletableFuture<Boolean> stopped =
                CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(20)), ON_ITS_OWN_THREAD);
        assertThat(idle.closedByServer())
                .as("the idle keep-alive session is closed")
                .isTrue();

        for (RawClient client : List.of(silent, queued)) {
            RawClient.Response response = client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("served");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(stopped.get(30, TimeUnit.SECONDS))
                .as("every session ended by itself")
                .isTrue();
        assertThat(fixture.portAccepts(server.port())).isFalse();
    }

    @Test
    void aGracefulStopWaitsNoLongerThanItsGracePeriodForAClientThatNeverSpeaks() throws Exception {
        HttpServer server = fixture.start(b -> b.idleTimeout(Duration.ofMinutes(10)));
        RawClient silent = fixture.connect();
        Await.until("the session is open", () -> server.openSessions() == 1);

        CompletableFuture<Boolean> stopped =
                CompletableFuture.supplyAsync(() -> server.stop(Duration.ofMillis(500)), ON_ITS_OWN_THREAD);

        // a safety net far above the grace period; the idle timeout would be ten minutes
        assertThat(stopped.get(60, TimeUnit.SECONDS))
                .as("the grace period ran out")
                .isFalse();
        assertThat(server.isStopped()).isTrue();
        assertThat(silent.closedByServer()).isTrue();
    }

    @Test
    void stopCalledFromAHandlerReturnsAndItsResponseStillArrives() throws Exception {
        EventRecorder events = new EventRecorder();
        HttpServer server = fixture.start(b -> b.eventListener(events));
        fixture.handle("/stop", HttpMethod.GET, (req, resp) -> {
            server.stop();
            resp.send("stopping");
        });
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("GET /stop HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.bodyText()).isEqualTo("stopping");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
        Await.until("the session closes", () -> server.openSessions() == 0);
        assertThat(server.isStopped()).isTrue();
        assertThat(server.state())
                .as("the last session closing does not undo STOP")
                .isEqualTo(HttpServerEvent.Id.STOP);
    }

    @Test
    void anIpv6LoopbackServerServesIpv6Clients() throws Exception {
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        EventRecorder events = new EventRecorder();
        HttpServer server;
        try {
            server = fixture.start(b -> b.bindAddress(ipv6Loopback).eventListener(events));
        } catch (java.net.SocketException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e);
            return;
        }
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) ->
                        resp.send(req.session().remoteAddress().getAddress().getHostAddress()));

        try (RawClient client = new RawClient(new java.net.Socket(ipv6Loopback, server.port()))) {
            RawClient.Response response = client.exchange("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n");

            assertThat(InetAddress.getByName(response.bodyText())).isEqualTo(ipv6Loopback);
            assertThat(events.sessionFromPort(client.localPort())).isPositive();
        }
        assertThat(server.localAddress().getAddress()).isEqualTo(ipv6Loopback);
    }

    @Test
    void stopEndsTheServersOwnThreads() throws Exception {
        HttpServer server = fixture.start();
        String suffix = "-" + server.port();
        assertThat(serverThreads(suffix)).isNotEmpty();

        server.stop();

        Await.until("no server thread is left", () -> serverThreads(suffix).isEmpty());
    }

    private static List<String> serverThreads(String portSuffix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("httpd-") && name.endsWith(portSuffix))
                .toList();
    }
}
