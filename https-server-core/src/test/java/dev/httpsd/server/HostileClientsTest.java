package dev.httpsd.server;

import static dev.httpsd.server.Attack.pace;
import static dev.httpsd.server.Attack.since;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow and stuck clients are each ended by the server limit meant for them, not before it, and
 * meanwhile probes on fresh connections are served; afterwards nothing is left behind ({@link
 * ResourceBaseline}).
 */
class HostileClientsTest {

    private static final Duration HEADER_READ = Duration.ofMillis(600);
    private static final Duration RECV_WAIT = Duration.ofMillis(500);
    private static final Duration SEND_WAIT = Duration.ofMillis(500);
    /** Far above every limit here: an end later than the limit plus this is a failure. */
    private static final Duration GENEROUS = Duration.ofSeconds(10);
    /** Safety net of every attack; they normally last a few rounds of one limit. */
    private static final Duration MAX_ATTACK = Duration.ofSeconds(40);

    private static final String PROBE = "GET /probe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    /** What every attack's test asserts once it is over. */
    private static final String CLEAN = "sessions, threads, descriptors, CLOSE_WAIT back; nothing logged above DEBUG";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final LogCapture log = new LogCapture();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger probesServed = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void closeLog() {
        log.close();
    }

    private ResourceBaseline start(UnaryOperator<HttpServerConfig.Builder> config) throws Exception {
        server = fixture.start(b -> config.apply(
                b.requestObserver(completed -> statuses.computeIfAbsent(completed.status(), s -> new AtomicInteger())
                        .incrementAndGet())));
        fixture.handle("/probe", HttpMethod.GET, (req, resp) -> {
            probesServed.incrementAndGet();
            resp.send("up");
        });
        assertThat(probe()).isEqualTo(200);
        Await.until("the warm-up session is gone", () -> server.openSessions() == 0);
        return ResourceBaseline.record(server);
    }

    /** A probe on a fresh connection; its status. */
    private int probe() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.timeout((int) GENEROUS.toMillis());
            return client.exchange(PROBE).status();
        }
    }

    private int count(int status) {
        return statuses.getOrDefault(status, new AtomicInteger()).get();
    }

    @Test
    void slowlorisConnectionsAreAnswered408AtTheHeaderReadTimeoutWhileProbesAreServed() throws Exception {
        // a byte every 100 ms stays far below the receive and idle timeouts: only the head deadline
        // can end these clients
        ResourceBaseline baseline = start(b -> b.headerReadTimeout(HEADER_READ)
                .recvWaitTimeout(Duration.ofSeconds(3))
                .idleTimeout(Duration.ofSeconds(5)));
        List<Duration> lifetimes = new CopyOnWriteArrayList<>();
        int attackers = 40;

        Attack attack = Attack.start("slowloris", attackers, 100, MAX_ATTACK, (a, round) -> {
            try (RawClient client = new RawClient(server.port())) {
                InputStream in = client.socket().getInputStream();
                long started = System.nanoTime();
                client.send("GET /probe HTTP/1.1\r\nHost: x\r\nX-Slow: ");
                for (int i = 0; i < 400 && in.available() == 0; i++) {
                    client.send("a");
                    pace(Duration.ofMillis(100));
                }
                RawClient.Response response = client.read();
                Duration lived = since(started);

                assertThat(response.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(client.closedByServer()).isTrue();
                assertThat(lived).isBetween(HEADER_READ, HEADER_READ.plus(GENEROUS));
                lifetimes.add(lived);
            }
        });
        try {
            Await.until("every slowloris is connected", () -> server.openSessions() >= attackers);
            attack.probe(5, this::probe);
        } finally {
            attack.stopAndJoin();
        }

        assertThat(attack.failures()).isEmpty();
        assertThat(attack.rounds()).isGreaterThanOrEqualTo(attackers);
        assertThat(count(408)).isEqualTo(attack.rounds());
        assertThat(probesServed).hasValue(1 + 5);
        assertThat(log.aboveDebug()).isEmpty();
        baseline.awaitReturn();
        report("slowloris", attack, lifetimes);
        HostileScenarioRecord.row(
                "p1",
                "Slowloris, 1 byte every 100 ms (`HostileClientsTest`)",
                attackers,
                "headerReadTimeout 600 ms → 408 and close, every one counted by the server",
                HostileScenarioRecord.between(HEADER_READ, GENEROUS),
                "5 probes, all 200, while the attack ran",
                CLEAN);
    }

    @Test
    void aBodyThatStopsArrivingIsAnswered408AtTheReceiveTimeoutWhileProbesAreServed() throws Exception {
        ResourceBaseline baseline = start(b -> b.recvWaitTimeout(RECV_WAIT)
                .headerReadTimeout(Duration.ofSeconds(5))
                .idleTimeout(Duration.ofSeconds(5)));
        List<Duration> stalls = new CopyOnWriteArrayList<>();
        List<Throwable> seenByHandler = new CopyOnWriteArrayList<>();
        fixture.handle("/upload", HttpMethod.POST, (req, resp) -> {
            byte[] buffer = new byte[8192];
            long lastData = System.nanoTime();
            long total = 0;
            try {
                int n;
                while ((n = req.recv(buffer, 0, buffer.length)) > 0) {
                    total += n;
                    lastData = System.nanoTime();
                }
            } catch (SocketTimeoutException e) {
                stalls.add(since(lastData));
                seenByHandler.add(e);
                throw e; // as most handlers do: the server decides what the client gets
            }
            resp.send("received " + total);
        });
        List<Duration> lifetimes = new CopyOnWriteArrayList<>();
        int attackers = 10;

        Attack attack = Attack.start("slow body", attackers, 100, MAX_ATTACK, (a, round) -> {
            try (RawClient client = new RawClient(server.port())) {
                long lastSent = System.nanoTime();
                // every other one stalls inside a chunk of a chunked body
                client.send("POST /upload HTTP/1.1\r\nHost: x\r\n"
                        + ((a + round) % 2 == 0
                                ? "Content-Length: 100000\r\n\r\n"
                                : "Transfer-Encoding: chunked\r\n\r\n186a0\r\n")
                        + "b".repeat(1000));
                RawClient.Response response = client.read();
                Duration lived = since(lastSent);

                assertThat(response.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(client.closedByServer()).isTrue();
                assertThat(lived).isBetween(RECV_WAIT, RECV_WAIT.plus(GENEROUS));
                lifetimes.add(lived);
            }
        });
        try {
            Await.until("the first stalled upload is in its handler", () -> server.openSessions() >= 1);
            attack.probe(5, this::probe);
        } finally {
            attack.stopAndJoin();
        }

        assertThat(attack.failures()).isEmpty();
        assertThat(seenByHandler).hasSize(attack.rounds()).allMatch(SocketTimeoutException.class::isInstance);
        assertThat(stalls).allSatisfy(stall -> assertThat(stall).isBetween(RECV_WAIT, RECV_WAIT.plus(GENEROUS)));
        assertThat(count(408)).isEqualTo(attack.rounds());
        assertThat(log.aboveDebug())
                .as("a client stalling is not a server error")
                .isEmpty();
        baseline.awaitReturn();
        report("slow body", attack, lifetimes);
        HostileScenarioRecord.row(
                "p2",
                "Stalled body, Content-Length and chunked (`HostileClientsTest`)",
                attackers,
                "recvWaitTimeout 500 ms → the handler gets SocketTimeoutException, 408 and close",
                HostileScenarioRecord.between(RECV_WAIT, GENEROUS),
                "5 probes, all 200, while the attack ran",
                CLEAN);
    }

    @Test
    void anUnreadBodyThatStopsArrivingEndsTheSessionAtTheReceiveTimeout() throws Exception {
        ResourceBaseline baseline = start(b -> b.recvWaitTimeout(RECV_WAIT).idleTimeout(Duration.ofSeconds(5)));
        fixture.handle("/ignore", HttpMethod.POST, (req, resp) -> resp.send("ignored"));
        List<Duration> lifetimes = new CopyOnWriteArrayList<>();

        Attack attack = Attack.start("stalled drain", 10, 100, MAX_ATTACK, (a, round) -> {
            try (RawClient client = new RawClient(server.port())) {
                long lastSent = System.nanoTime();
                client.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "b".repeat(1000));

                assertThat(client.read().bodyText()).isEqualTo("ignored");
                // the server drains the unread body to keep the connection; the drain times out
                assertThat(client.closedByServer()).isTrue();
                Duration lived = since(lastSent);
                assertThat(lived).isBetween(RECV_WAIT, RECV_WAIT.plus(GENEROUS));
                lifetimes.add(lived);
            }
        });
        try {
            Await.until("the first drain is under way", () -> count(200) >= 2);
            attack.probe(5, this::probe);
        } finally {
            attack.stopAndJoin();
        }

        assertThat(attack.failures()).isEmpty();
        assertThat(log.aboveDebug()).isEmpty();
        baseline.awaitReturn();
        report("stalled drain", attack, lifetimes);
        HostileScenarioRecord.row(
                "p3",
                "Stalled drain of an unread body (`HostileClientsTest`)",
                10,
                "recvWaitTimeout 500 ms → closed after the handler's answer",
                HostileScenarioRecord.between(RECV_WAIT, GENEROUS),
                "5 probes, all 200, while the attack ran",
                CLEAN);
    }

    @Test
    void aBodyTricklingJustWithinTheReceiveTimeoutHasNoTotalDeadline() throws Exception {
        Duration recvWait = Duration.ofSeconds(1);
        ResourceBaseline baseline = start(b -> b.recvWaitTimeout(recvWait));
        fixture.handle(
                "/upload",
                HttpMethod.POST,
                (req, resp) -> resp.send("received " + req.body().readAllBytes().length));
        int bytes = 80;

        long started = System.nanoTime();
        try (RawClient client = fixture.connect()) {
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes + "\r\n\r\n");
            for (int i = 0; i < bytes; i++) {
                pace(Duration.ofMillis(50));
                client.send("b");
            }
            RawClient.Response response = client.read();
            Duration took = since(started);

            // documents a limit that does not exist: only each wait is bounded, the whole body
            // may take as long as the client likes (bytes x recvWaitTimeout at most)
            assertThat(response.bodyText()).isEqualTo("received " + bytes);
            assertThat(took).isGreaterThan(recvWait.multipliedBy(3));
        }
        baseline.awaitReturn();
        HostileScenarioRecord.row(
                "p4",
                "Trickling body, 80 B at 1 B every 50 ms (`HostileClientsTest`)",
                1,
                "none: recvWaitTimeout 1000 ms bounds each wait, not the whole body",
                "answered 200 after more than 3 × recvWaitTimeout",
                "—",
                "sessions, threads, descriptors back");
    }

    @Test
    void clientsThatNeverReadAreClosedAtTheSendTimeoutWhileProbesAreServed() throws Exception {
        ResourceBaseline baseline = start(b -> b.sendWaitTimeout(SEND_WAIT));
        Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
        Map<Integer, Duration> failedAfter = new ConcurrentHashMap<>();
        fixture.handle("/huge", HttpMethod.GET, (req, resp) -> {
            long started = System.nanoTime();
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = resp.outputStream()) {
                for (int i = 0; i < 4096; i++) { // 256 MiB at most: far beyond any socket buffer
                    out.write(block);
                }
            } catch (IOException e) {
                int port = req.session().remoteAddress().getPort();
                failedAfter.put(port, since(started));
                failures.put(port, e);
                throw e;
            }
        });

        Attack attack = Attack.start("slow reader", 4, 100, MAX_ATTACK, (a, round) -> {
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096); // before connecting, so the window stays small
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
                socket.getOutputStream()
                        .write("GET /huge HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                int port = socket.getLocalPort();

                Await.until("the send to " + port + " fails", () -> failures.containsKey(port));
                assertThat(failures.get(port)).isInstanceOf(SocketTimeoutException.class);
                assertThat(failedAfter.get(port)).isBetween(SEND_WAIT, SEND_WAIT.plus(GENEROUS));
            }
        });
        try {
            Await.until("the slow readers are connected", () -> server.openSessions() >= 4);
            attack.probe(5, this::probe);
        } finally {
            attack.stopAndJoin();
        }

        assertThat(attack.failures()).isEmpty();
        assertThat(failures).hasSize(attack.rounds());
        assertThat(log.aboveDebug()).isEmpty();
        baseline.awaitReturn();
        report("slow reader", attack, List.copyOf(failedAfter.values()));
        HostileScenarioRecord.row(
                "p5",
                "Slow reader, 4 KiB receive buffer (`HostileClientsTest`)",
                4,
                "sendWaitTimeout 500 ms → the handler's write fails with SocketTimeoutException, session closed",
                HostileScenarioRecord.between(SEND_WAIT, GENEROUS),
                "5 probes, all 200, while the attack ran",
                CLEAN);
    }

    @Test
    void stuckHandlersHoldOnlyTheirOwnSessionsAndAreEndedAtStop() throws Exception {
        ResourceBaseline baseline = start(b -> b);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        fixture.handle("/stuck", HttpMethod.GET, (req, resp) -> {
            entered.incrementAndGet();
            try {
                never.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            resp.send("released");
        });
        List<RawClient> stuck = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawClient client = fixture.connect();
            client.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n");
            stuck.add(client);
        }
        Await.until("three handlers are stuck", () -> entered.get() == 3);

        for (int i = 0; i < 5; i++) {
            assertThat(probe()).isEqualTo(200);
        }
        Duration grace = Duration.ofMillis(500);
        long stopping = System.nanoTime();
        boolean clean = server.stop(grace);
        Duration stopTook = since(stopping);

        assertThat(clean)
                .as("stuck handlers cannot finish within the grace period")
                .isFalse();
        assertThat(stopTook).isBetween(grace, grace.plus(GENEROUS));
        for (RawClient client : stuck) {
            assertThat(client.timeout((int) GENEROUS.toMillis()).readToEnd())
                    .as("no partial response for a stuck request")
                    .isEmpty();
        }
        assertThat(interrupted).hasValue(3);
        assertThat(probesServed).hasValue(1 + 5);
        assertThat(server.openSessions()).isZero();
        assertThat(log.aboveDebug())
                .as("the only warning: the grace period was not enough")
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("WARNING sessions still open after 500 ms");
        for (RawClient client : stuck) {
            client.close();
        }
        ResourceBaseline.Snapshot after = baseline.awaitReturn();
        assertThat(after.serverThreads().keySet()).noneMatch(name -> name.endsWith("-" + server.port()));
        HostileScenarioRecord.row(
                "p6",
                "Stuck handlers (`HostileClientsTest`)",
                3,
                "stop(500 ms): not clean, the handlers interrupted, no partial response",
                "stop returned " + HostileScenarioRecord.between(grace, GENEROUS),
                "5 probes, all 200, while they were stuck",
                "0 sessions, none of the server's threads left, threads and descriptors back; one WARNING"
                        + " (the grace period was not enough)");
    }

    @Test
    void aHandlerThatIgnoresInterruptsOutlivesStopWhichReturnsAfterItsAbortWait() throws Exception {
        ResourceBaseline baseline = start(b -> b);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger interruptsIgnored = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        fixture.handle("/deaf", HttpMethod.GET, (req, resp) -> {
            entered.incrementAndGet();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
            while (release.getCount() > 0 && System.nanoTime() < until) {
                try {
                    release.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interruptsIgnored.incrementAndGet(); // what this handler is about: it carries on
                }
            }
            finished.set(true);
        });
        RawClient client = fixture.connect();
        client.send("GET /deaf HTTP/1.1\r\nHost: x\r\n\r\n");
        Await.until("the handler is running", () -> entered.get() == 1);

        Duration grace = Duration.ofMillis(200);
        Duration abortWait = Duration.ofSeconds(10);
        long stopping = System.nanoTime();
        boolean clean = server.stop(grace);
        Duration stopTook = since(stopping);

        assertThat(clean).isFalse();
        assertThat(stopTook)
                .isBetween(grace.plus(abortWait), grace.plus(abortWait).plus(GENEROUS));
        assertThat(interruptsIgnored.get()).as("the handler was interrupted").isPositive();
        assertThat(finished).as("the handler outlived stop()").isFalse();
        release.countDown();
        Await.until("the released handler ends", finished::get);
        client.close();
        baseline.awaitReturn();
        HostileScenarioRecord.row(
                "p7",
                "Handler that ignores interrupts (`HostileClientsTest`)",
                1,
                "stop(200 ms): not clean; the handler interrupted, carries on",
                "stop returned " + HostileScenarioRecord.between(grace.plus(abortWait), GENEROUS)
                        + ", the handler still running",
                "—",
                "once the handler ends: sessions, threads, descriptors back");
    }

    /** One line per scenario for RELIABILITY.md, in the test's output file. */
    private void report(String scenario, Attack attack, List<Duration> ends) {
        var stats = ends.stream().mapToLong(Duration::toMillis).summaryStatistics();
        System.out.printf(
                "RELIABILITY %s: rounds=%d probes=%d failures=%d end-after-ms min=%d max=%d statuses=%s%n",
                scenario,
                attack.rounds(),
                attack.probes(),
                attack.failures().size(),
                stats.getMin(),
                stats.getMax(),
                statuses);
    }
}
