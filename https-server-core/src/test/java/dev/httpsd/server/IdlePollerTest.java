package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An idle keep-alive session parks on the server's poller with no thread of its own, and
 * everything that ends or uses an idle session still does, with the same bytes and events: its
 * next request, pipelined requests, the idle timeout, a trigger close, an LRU purge, a stop, the
 * peer's close, and raw I/O from queued work.
 */
class IdlePollerTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    /** Large enough to take many writes and reads: every byte must arrive after a resume. */
    private static final byte[] BIG = bytes(300_000);

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final EventRecorder events = new EventRecorder();
    /** The thread each {@code GET /} was served on. */
    private final List<Thread> servedOn = new CopyOnWriteArrayList<>();

    private HttpServer start(Duration idleTimeout) throws IOException {
        HttpServer server = fixture.start(b -> b.eventListener(events).idleTimeout(idleTimeout));
        IdleSessions.parkAlways(server);
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            servedOn.add(Thread.currentThread());
            resp.send(String.valueOf(req.session().id()));
        });
        fixture.handle("/big", HttpMethod.GET, (req, resp) -> resp.send(BIG));
        return server;
    }

    private HttpServer start() throws IOException {
        return start(Duration.ofSeconds(60));
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    /** Serves one request on the client, then waits until its session is parked; its id. */
    private int servedAndParked(HttpServer server, RawClient client) throws IOException {
        int id = Integer.parseInt(client.exchange(GET).bodyText());
        Await.until("session " + id + " parked without a thread", () -> IdleSessions.parkedWithoutThread(server, id));
        return id;
    }

    @Test
    void anIdleKeepAliveSessionHoldsNoThreadAndServesItsNextRequestInFull() throws Exception {
        HttpServer server = start();
        RawClient client = fixture.connect();
        int id = servedAndParked(server, client);
        assertThat(IdleSessions.parked(server)).isEqualTo(1);

        RawClient.Response response = client.exchange("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BIG);
        Await.until("parked again", () -> IdleSessions.parkedWithoutThread(server, id));
        assertThat(client.exchange(GET).bodyText()).isEqualTo(String.valueOf(id));
        // each request after a park runs on a fresh virtual thread of the session's name
        assertThat(servedOn).hasSize(2).doesNotHaveDuplicates().allSatisfy(thread -> {
            assertThat(thread.isVirtual()).isTrue();
            assertThat(thread.getName()).isEqualTo("httpd-session-" + id);
        });
    }

    @Test
    void pipelinedRequestsAreAllAnsweredAcrossParks() throws Exception {
        HttpServer server = start();
        RawClient client = fixture.connect();
        int id = servedAndParked(server, client);

        client.send(GET + "GET /big HTTP/1.1\r\nHost: x\r\n\r\n" + GET);

        assertThat(client.read().bodyText()).isEqualTo(String.valueOf(id));
        assertThat(client.read().body()).isEqualTo(BIG);
        assertThat(client.read().bodyText()).isEqualTo(String.valueOf(id));
        Await.until("parked again", () -> IdleSessions.parkedWithoutThread(server, id));
    }

    @Test
    void theIdleTimeoutClosesAParkedSessionWithTheSameEvents() throws Exception {
        HttpServer server = start(Duration.ofSeconds(1));
        RawClient client = fixture.connect();
        int id = Integer.parseInt(client.exchange(GET).bodyText());
        // the session may already be closed by its timeout on a busy machine: its events say it
        List<String> served = events.labels(id);

        assertThat(client.closedByServer()).isTrue();
        events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, id);
        Await.until("the session is gone", () -> server.openSessions() == 0);
        assertThat(IdleSessions.parked(server)).isZero();
        assertThat(events.labels(id)).startsWith(served.toArray(String[]::new));
        assertThat(events.labels(id)).endsWith("HTTP DISCONNECTED");
        assertThat(events.labels(id)).filteredOn("HTTP DISCONNECTED"::equals).hasSize(1);
    }

    @Test
    void triggerCloseClosesAParkedSessionWithItsEvents() throws Exception {
        HttpServer server = start();
        RawClient client = fixture.connect();
        int id = servedAndParked(server, client);
        List<String> served = events.labels(id);

        server.session(id).orElseThrow().triggerClose();

        assertThat(client.closedByServer()).isTrue();
        events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, id);
        assertThat(events.labels(id)).isEqualTo(with(served, "HTTP DISCONNECTED"));
        Await.until("the session is gone", () -> server.openSessions() == 0);
        assertThat(IdleSessions.parked(server)).isZero();
    }

    @Test
    void anLruPurgeClosesAParkedSessionForANewClient() throws Exception {
        HttpServer server =
                fixture.start(b -> b.eventListener(events).maxOpenSockets(1).lruPurgeEnable(true));
        IdleSessions.parkAlways(server);
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        RawClient oldest = fixture.connect();
        int oldestId = servedAndParked(server, oldest);
        List<String> served = events.labels(oldestId);

        RawClient newer = fixture.connect();

        assertThat(newer.exchange(GET).status()).isEqualTo(200);
        assertThat(oldest.closedByServer()).isTrue();
        events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, oldestId);
        assertThat(events.labels(oldestId)).isEqualTo(with(served, "HTTP DISCONNECTED"));
        assertThat(server.statistics().lruPurges()).isEqualTo(1);
    }

    @Test
    void aStopClosesParkedSessionsAndLeavesNoPollerThread() throws Exception {
        HttpServer server = start();
        List<RawClient> clients = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawClient client = fixture.connect();
            clients.add(client);
            ids.add(servedAndParked(server, client));
        }
        IdleSessions.awaitParked(server, 3);

        server.stop();

        for (RawClient client : clients) {
            assertThat(client.closedByServer()).isTrue();
        }
        for (int id : ids) {
            assertThat(events.labels(id)).endsWith("HTTP DISCONNECTED");
        }
        assertThat(server.openSessions()).isZero();
        String poller = "httpd-poller-" + server.port();
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .doesNotContain(poller);
    }

    @Test
    void aGracefulStopClosesParkedSessionsTheClientSpokeOn() throws Exception {
        HttpServer server = start();
        RawClient client = fixture.connect();
        int id = servedAndParked(server, client);

        assertThat(server.stop(Duration.ofSeconds(20))).isTrue();

        assertThat(client.closedByServer()).isTrue();
        assertThat(events.labels(id)).endsWith("HTTP DISCONNECTED");
    }

    @Test
    void thePeersCloseEndsAParkedSession() throws Exception {
        HttpServer server = start();
        RawClient client = fixture.connect();
        int id = servedAndParked(server, client);
        List<String> served = events.labels(id);

        client.close();

        events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, id);
        assertThat(events.labels(id)).isEqualTo(with(served, "HTTP DISCONNECTED"));
        Await.until("the session is gone", () -> server.openSessions() == 0);
        assertThat(IdleSessions.parked(server)).isZero();
    }

    @Test
    void queuedWorkSendsToAndReceivesFromAParkedSessionWhichIsResumedFirst() throws Exception {
        HttpServer server = fixture.start(b -> b.eventListener(events).recvWaitTimeout(Duration.ofMillis(300)));
        IdleSessions.parkAlways(server);
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        RawClient client = fixture.connect();
        int id = servedAndParked(server, client);
        byte[] ping = "ping!".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<Throwable> received = new CompletableFuture<>();

        server.queueWork(() -> {
            try {
                HttpSession session = server.session(id).orElseThrow();
                session.send(ping, 0, ping.length);
                // nothing comes: the read waits, on a blocking socket, for its timeout
                session.recv(new byte[4], 0, 4);
                received.complete(null);
            } catch (IOException | RuntimeException e) {
                received.complete(e);
            }
        });

        assertThat(client.socket().getInputStream().readNBytes(5)).isEqualTo(ping);
        assertThat(received.get(20, TimeUnit.SECONDS)).isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(client.exchange(GET).bodyText()).isEqualTo(String.valueOf(id));
        Await.until("parked again", () -> IdleSessions.parkedWithoutThread(server, id));
    }

    @Test
    void twoHundredParkedSessionsAreAllServedAgain() throws Exception {
        HttpServer server = start();
        List<RawClient> clients = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RawClient client = fixture.connect();
            clients.add(client);
            ids.add(Integer.parseInt(client.exchange(GET).bodyText()));
        }
        IdleSessions.awaitParked(server, 200);

        for (RawClient client : clients) {
            client.send(GET);
        }
        for (int i = 0; i < clients.size(); i++) {
            assertThat(clients.get(i).read().bodyText()).isEqualTo(String.valueOf(ids.get(i)));
        }
        IdleSessions.awaitParked(server, 200);
        assertThat(server.openSessions()).isEqualTo(200);
    }

    private static List<String> with(List<String> labels, String last) {
        List<String> all = new ArrayList<>(labels);
        all.add(last);
        return all;
    }
}
