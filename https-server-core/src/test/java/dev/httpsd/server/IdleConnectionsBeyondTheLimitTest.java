package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * More clients than {@code maxOpenSockets}, the first ones idle after a request: with LRU purge
 * each newcomer evicts the idle session used longest ago, in order; without it newcomers wait in
 * the backlog and each is served as soon as one slot frees. {@link LruPurgeTest} covers who may
 * be purged; this is the flood.
 */
class IdleConnectionsBeyondTheLimitTest {

    private static final int SLOTS = 4;
    private static final String GET_ID = "GET /id HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private HttpServer server;

    private ResourceBaseline start(boolean lruPurge) throws Exception {
        server = fixture.start(b -> b.maxOpenSockets(SLOTS).lruPurgeEnable(lruPurge));
        fixture.handle(
                "/id",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        try (RawClient warmUp = new RawClient(server.port())) {
            assertThat(warmUp.exchange("GET /id HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .status())
                    .isEqualTo(200);
        }
        Await.until("the warm-up session is gone", () -> server.openSessions() == 0);
        return ResourceBaseline.record(server);
    }

    /** Connects, is served once and left idle; returns the session id. */
    private int servedAndIdle(RawClient client) throws Exception {
        int id = Integer.parseInt(client.exchange(GET_ID).bodyText());
        ServerFixture.awaitIdle(server, id);
        return id;
    }

    @Test
    void withLruPurgeEveryNewcomerIsServedAndTheOldestIdleSessionsGoFirst() throws Exception {
        ResourceBaseline baseline = start(true);
        List<RawClient> clients = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            RawClient idle = fixture.connect();
            clients.add(idle);
            ids.add(servedAndIdle(idle));
        }
        int newcomers = 3 * SLOTS;

        for (int k = 0; k < newcomers; k++) {
            RawClient newcomer = fixture.connect();
            clients.add(newcomer);
            ids.add(servedAndIdle(newcomer));

            assertThat(clients.get(k).timeout(10_000).closedByServer())
                    .as("the least recently used idle session is purged for newcomer " + k)
                    .isTrue();
            Set<Integer> expected = new TreeSet<>(ids.subList(k + 1, ids.size()));
            Await.until("sessions " + expected + " open", () -> new TreeSet<>(server.clientList()).equals(expected));
        }

        assertThat(server.statistics().lruPurges()).isEqualTo(newcomers);
        for (int i = newcomers; i < clients.size(); i++) {
            assertThat(clients.get(i).exchange(GET_ID).bodyText())
                    .as("a survivor keeps its session")
                    .isEqualTo(String.valueOf(ids.get(i)));
        }
        for (RawClient client : clients) {
            client.close();
        }
        baseline.awaitReturn();
        System.out.printf(
                "RELIABILITY idle beyond limit, LRU on: slots=%d newcomers=%d served=%d purges=%d%n",
                SLOTS, newcomers, newcomers, server.statistics().lruPurges());
        HostileScenarioRecord.row(
                "q1",
                "Idle sessions beyond maxOpenSockets=4, LRU purge on (`IdleConnectionsBeyondTheLimitTest`)",
                newcomers,
                "LRU purge: each newcomer closes the idle session used longest ago",
                "purged in order, oldest first; the survivors keep their sessions",
                newcomers + " newcomers served, " + newcomers + " purges",
                "sessions, threads, descriptors, CLOSE_WAIT back");
    }

    @Test
    void silentConnectionsHoldingEverySlotAreEndedByTheIdleTimeoutAndTheNewcomerIsServed() throws Exception {
        Duration idle = Duration.ofMillis(600);
        server = fixture.start(b -> b.maxOpenSockets(SLOTS).lruPurgeEnable(true).idleTimeout(idle));
        fixture.handle(
                "/id",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        ResourceBaseline baseline = ResourceBaseline.record(server);
        long connected = System.nanoTime();
        List<RawClient> silent = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            silent.add(fixture.connect());
        }
        Await.until("every slot is taken", () -> server.openSessions() == SLOTS);

        // none of them has served a request, so LRU purge may not take them: only their timeout
        RawClient newcomer = fixture.connect();
        RawClient.Response response = newcomer.timeout(10_000).exchange(GET_ID);
        Duration waited = Duration.ofNanos(System.nanoTime() - connected);

        assertThat(response.status()).isEqualTo(200);
        assertThat(waited).isBetween(idle, idle.plusSeconds(10));
        for (RawClient client : silent) {
            assertThat(client.timeout(10_000).readToEnd())
                    .as("closed without a word")
                    .isEmpty();
        }
        assertThat(server.statistics().lruPurges()).isZero();
        newcomer.close();
        for (RawClient client : silent) {
            client.close();
        }
        baseline.awaitReturn();
        HostileScenarioRecord.row(
                "q2",
                "Silent connections holding every slot, LRU purge on (`IdleConnectionsBeyondTheLimitTest`)",
                SLOTS,
                "idleTimeout 600 ms (LRU purge never takes a session that has served nothing)",
                "closed without a word; the newcomer answered "
                        + HostileScenarioRecord.between(idle, Duration.ofSeconds(10)),
                "1 newcomer served, 0 purges",
                "sessions, threads, descriptors, CLOSE_WAIT back");
    }

    @Test
    void withoutLruPurgeNewcomersWaitInTheBacklogAndEachIsServedWhenASlotFrees() throws Exception {
        ResourceBaseline baseline = start(false);
        long openedBefore = server.statistics().sessionsOpened();
        List<RawClient> idle = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            RawClient client = fixture.connect();
            idle.add(client);
            servedAndIdle(client);
        }
        List<RawClient> waiting = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            RawClient client = fixture.connect();
            client.send(GET_ID);
            waiting.add(client);
        }

        assertThatThrownBy(() -> waiting.getFirst().timeout(500).read())
                .as("nobody is served while every slot is taken")
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(server.statistics().sessionsOpened()).isEqualTo(openedBefore + SLOTS);

        for (int k = 0; k < SLOTS; k++) {
            idle.get(k).close();

            assertThat(waiting.get(k).timeout(10_000).read().status())
                    .as("the oldest waiting client takes the freed slot")
                    .isEqualTo(200);
            assertThat(server.statistics().sessionsOpened())
                    .as("exactly one slot was freed")
                    .isEqualTo(openedBefore + SLOTS + k + 1);
        }

        assertThat(server.statistics().lruPurges()).isZero();
        for (RawClient client : waiting) {
            client.close();
        }
        baseline.awaitReturn();
        System.out.printf(
                "RELIABILITY idle beyond limit, LRU off: slots=%d waited=%d served-after-a-slot-freed=%d%n",
                SLOTS, SLOTS, SLOTS);
        HostileScenarioRecord.row(
                "q3",
                "Newcomers beyond maxOpenSockets=4, LRU purge off (`IdleConnectionsBeyondTheLimitTest`)",
                SLOTS,
                "the backlog: none served while every slot is taken, one accepted per freed slot, oldest first",
                "—",
                SLOTS + " of " + SLOTS + " served, 0 purges",
                "sessions, threads, descriptors, CLOSE_WAIT back");
    }
}
