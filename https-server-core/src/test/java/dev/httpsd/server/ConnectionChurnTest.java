package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of connections that end badly: closed before a byte, closed half-way through a head,
 * reset in the middle of a request. The server keeps serving probes throughout, logs none of it
 * above DEBUG, and gives back every session, thread and descriptor. Longer with {@code
 * -Dhttpsd.long=true}.
 */
class ConnectionChurnTest {

    private static final boolean LONG = Boolean.getBoolean("httpsd.long");
    private static final int ATTACKERS = 4;
    /** Rounds per attacker: each round is one connection of each of the three kinds. */
    private static final int ROUNDS = LONG ? 2500 : 250;

    private static final Duration MAX_TIME = LONG ? Duration.ofMinutes(10) : Duration.ofSeconds(45);

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final LogCapture log = new LogCapture();

    @AfterEach
    void closeLog() {
        log.close();
    }

    @Test
    void connectionsClosedOrResetAtAnyPointLeaveNothingBehindAndProbesAreServed() throws Exception {
        HttpServer server = fixture.start(b -> b.idleTimeout(Duration.ofSeconds(2))
                .headerReadTimeout(Duration.ofSeconds(2))
                .recvWaitTimeout(Duration.ofSeconds(2)));
        AtomicInteger uploadsCompleted = new AtomicInteger();
        fixture.handle("/probe", HttpMethod.GET, (req, resp) -> resp.send("up"));
        fixture.handle("/upload", HttpMethod.POST, (req, resp) -> {
            int length = req.body().readAllBytes().length;
            uploadsCompleted.incrementAndGet();
            resp.send("read " + length);
        });
        assertThat(probe(server)).isEqualTo(200);
        Await.until("the warm-up session is gone", () -> server.openSessions() == 0);
        ResourceBaseline baseline = ResourceBaseline.record(server);
        long openedBefore = server.statistics().sessionsOpened();
        int port = server.port();

        Attack attack = Attack.start("churn", ATTACKERS, ROUNDS, MAX_TIME, (a, round) -> {
            try (Socket silent = connect(port)) {
                // connected, closed without a byte
            }
            try (Socket half = connect(port)) {
                half.getOutputStream().write(ascii("GET /probe HTTP/1.1\r\nHo"));
            }
            Socket reset = connect(port);
            reset.getOutputStream()
                    .write(ascii(
                            round % 2 == 0
                                    ? "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789"
                                    : "GET /probe HTTP/1.1\r\nHost: x\r\nX-"));
            reset.setSoLinger(true, 0); // close sends RST instead of FIN
            reset.close();
        });
        int probes;
        try {
            probes = attack.probeUntilEnd(100_000, () -> probe(server));
        } finally {
            attack.join();
        }

        assertThat(attack.failures()).isEmpty();
        assertThat(attack.rounds()).as("every round ran before the time bound").isEqualTo(ATTACKERS * ROUNDS);
        assertThat(probes).as("probes served during the churn").isGreaterThanOrEqualTo(3);
        long connections = 3L * attack.rounds();
        // the last connections can still wait in the accept backlog after their clients are done
        int expected = probes;
        try {
            Await.until(
                    "every connection accepted",
                    () -> server.statistics().sessionsOpened() - openedBefore >= connections + expected);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + ": " + (server.statistics().sessionsOpened() - openedBefore) + " sessions of "
                            + (connections + expected) + " connections, " + server.statistics() + ", log: "
                            + log.aboveDebug(),
                    e);
        }
        assertThat(server.statistics().sessionsOpened() - openedBefore)
                .as("every connection became a session")
                .isEqualTo(connections + probes);
        assertThat(uploadsCompleted).as("no reset upload reached its end").hasValue(0);
        assertThat(log.aboveDebug())
                .as("hang-ups and resets are not server errors")
                .isEmpty();
        baseline.awaitReturn();
        assertThat(server.statistics().sessionsClosed())
                .isEqualTo(server.statistics().sessionsOpened());
        System.out.printf(
                "RELIABILITY churn plain: connections=%d (silent/half/reset %d each) probes=%d probe-failures=0 "
                        + "sessions-opened=%d sessions-closed=%d%n",
                connections,
                attack.rounds(),
                probes,
                server.statistics().sessionsOpened() - openedBefore,
                server.statistics().sessionsClosed() - openedBefore);
        ReliabilityRecord.row(
                LONG ? "churn.long" : "churn",
                ReliabilityRecord.CHURN_HEADER,
                "plain",
                List.of(
                        "plain",
                        "silent / half request / RST (mid-body or mid-head)",
                        String.format(Locale.ROOT, "%,d", connections),
                        "at least 3, all 200",
                        "every session closed; no reset upload reached its handler; sessions, threads,"
                                + " descriptors back; nothing above DEBUG"));
    }

    private static int probe(HttpServer server) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.timeout(10_000);
            return client.exchange("GET /probe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .status();
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
