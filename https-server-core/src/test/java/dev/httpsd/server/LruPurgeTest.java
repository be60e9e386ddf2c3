package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LRU purge (reference §6.2, DESIGN §3 and §7): who is closed when every slot is taken. */
class LruPurgeTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final List<AsyncRequest> held = new CopyOnWriteArrayList<>();
    private final CountDownLatch detached = new CountDownLatch(1);
    private HttpServer server;

    private void startWithSlots(int slots, boolean lruPurge) throws Exception {
        server = fixture.start(b -> b.maxOpenSockets(slots).lruPurgeEnable(lruPurge));
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        fixture.handle("/async", HttpMethod.GET, (req, resp) -> {
            held.add(req.beginAsync());
            detached.countDown();
        });
    }

    /** A client that has been served one request; returns its session id. */
    private int served(RawClient client) throws Exception {
        return Integer.parseInt(client.exchange(GET).bodyText());
    }

    private void awaitIdle(int sessionId) {
        Await.until(
                "session " + sessionId + " idle",
                () -> server.session(sessionId).map(s -> ((Session) s).isIdle()).orElse(false));
    }

    @Test
    void theLeastRecentlyUsedIdleSessionIsClosedForANewClient() throws Exception {
        startWithSlots(2, true);
        RawClient oldest = fixture.connect();
        RawClient newer = fixture.connect();
        // a session counts as used when its request is done, which is after its client has the
        // response: wait for that before the other client's request, or their order is a race
        int oldestId = served(oldest);
        awaitIdle(oldestId);
        int newerId = served(newer);
        awaitIdle(newerId);

        RawClient arriving = fixture.connect();

        assertThat(arriving.exchange(GET).status()).isEqualTo(200);
        assertThat(oldest.closedByServer()).isTrue();
        assertThat(server.clientList()).contains(newerId).doesNotContain(oldestId);
        assertThat(newer.exchange(GET).bodyText()).isEqualTo(String.valueOf(newerId));
    }

    @Test
    void aSessionThatHasNotServedARequestIsNeverPurged() throws Exception {
        startWithSlots(2, true);
        RawClient silent = fixture.connect();
        Await.until("the silent session is open", () -> server.openSessions() == 1);
        RawClient used = fixture.connect();
        int usedId = served(used);
        awaitIdle(usedId);

        RawClient arriving = fixture.connect();

        assertThat(arriving.exchange(GET).status()).isEqualTo(200);
        assertThat(used.closedByServer()).isTrue();
        assertThat(silent.exchange(GET).status())
                .as("the silent session had the lowest counter and still survived")
                .isEqualTo(200);
    }

    @Test
    void updatingTheLruCounterSavesASessionFromPurge() throws Exception {
        startWithSlots(2, true);
        RawClient first = fixture.connect();
        RawClient second = fixture.connect();
        int firstId = served(first);
        int secondId = served(second);
        awaitIdle(firstId);
        awaitIdle(secondId);

        server.session(firstId).orElseThrow().updateLruCounter();
        RawClient arriving = fixture.connect();

        assertThat(arriving.exchange(GET).status()).isEqualTo(200);
        assertThat(second.closedByServer()).isTrue();
        assertThat(first.exchange(GET).bodyText()).isEqualTo(String.valueOf(firstId));
    }

    @Test
    void aSessionOwnedByAnAsyncHandlerIsNeverPurged() throws Exception {
        startWithSlots(2, true);
        RawClient async = fixture.connect();
        RawClient other = fixture.connect();
        int asyncId = served(async);
        int otherId = served(other);
        awaitIdle(otherId);
        async.send("GET /async HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(detached.await(10, TimeUnit.SECONDS)).isTrue();

        RawClient arriving = fixture.connect();

        assertThat(arriving.exchange(GET).status()).isEqualTo(200);
        assertThat(other.closedByServer()).isTrue();
        held.getFirst().response().send("finished late");
        held.getFirst().complete();
        assertThat(async.read().bodyText()).isEqualTo("finished late");
        assertThat(async.exchange(GET).bodyText()).isEqualTo(String.valueOf(asyncId));
    }

    @Test
    void withNoPurgeableSessionTheNewClientWaitsUntilOneBecomesPurgeable() throws Exception {
        startWithSlots(1, true);
        RawClient silent = fixture.connect();
        Await.until("the silent session is open", () -> server.openSessions() == 1);
        RawClient waiting = fixture.connect();
        waiting.send(GET);

        assertThatThrownBy(() -> waiting.timeout(500).read())
                .as("not served while the only session has served nothing")
                .isInstanceOf(SocketTimeoutException.class);

        assertThat(silent.exchange(GET).status()).isEqualTo(200);
        assertThat(waiting.timeout(30_000).read().status()).isEqualTo(200);
        assertThat(silent.closedByServer()).isTrue();
    }

    @Test
    void withoutLruPurgeTheExtraClientWaitsForAFreeSlot() throws Exception {
        startWithSlots(1, false);
        RawClient first = fixture.connect();
        int firstId = served(first);
        awaitIdle(firstId);
        RawClient waiting = fixture.connect();
        waiting.send(GET);

        assertThatThrownBy(() -> waiting.timeout(500).read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(first.exchange(GET).bodyText())
                .as("the first session is never purged")
                .isEqualTo(String.valueOf(firstId));

        first.close();

        assertThat(waiting.timeout(30_000).read().status()).isEqualTo(200);
    }

    @Test
    void aClientWaitingForAPurgeIsDisconnectedWhenTheServerStops() throws Exception {
        startWithSlots(1, true);
        fixture.connect();
        Await.until("the silent session is open", () -> server.openSessions() == 1);
        RawClient waiting = fixture.connect();
        Thread acceptor = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("httpd-acceptor-" + server.port()))
                .findFirst()
                .orElseThrow();
        // accepted and looking for a victim: the acceptor waits on the slot semaphore, not in accept()
        Await.until("the acceptor holds the new client", () -> acceptor.getState() == Thread.State.TIMED_WAITING);

        server.stop();

        assertThat(waiting.timeout(10_000).closedByServer()).isTrue();
    }
}
