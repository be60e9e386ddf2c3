package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.Attack;
import dev.httpsd.server.Await;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.ReliabilityRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connections to the TLS port that end badly at every stage: closed before the ClientHello, reset
 * half-way through it, closed half-way through a request after the handshake, reset in the middle
 * of a request. Probes keep being served, the failures are reported as HTTPS ERROR events and
 * logged no higher than DEBUG, and every session, thread and descriptor comes back. Longer with
 * {@code -Dhttpsd.long=true}.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
@ExtendWith(HostileSuiteRecord.class)
class TlsConnectionChurnTest {

    @Parameter
    TlsEngine engine;

    private static final boolean LONG = Boolean.getBoolean("httpsd.long");
    private static final int ATTACKERS = 4;
    /** Rounds per attacker: each round is one connection of each of the four kinds. */
    private static final int ROUNDS = LONG ? 1000 : 60;

    private static final Duration MAX_TIME = LONG ? Duration.ofMinutes(10) : Duration.ofSeconds(45);

    @Test
    void tlsConnectionsClosedOrResetAtAnyStageLeaveNothingBehindAndProbesAreServed() throws Exception {
        SSLContext client = TlsFixtures.clientContext(null);
        byte[] hello = HandshakeTimeoutTest.clientHello();
        AtomicInteger tlsErrors = new AtomicInteger();
        try (TlsTestServer server = TlsTestServer.start(
                engine,
                b -> b.handshakeTimeout(Duration.ofSeconds(2))
                        .httpd(h -> h.bindAddress(InetAddress.getLoopbackAddress())
                                .idleTimeout(Duration.ofSeconds(2))
                                .headerReadTimeout(Duration.ofSeconds(2))
                                .eventListener(e -> {
                                    if (e instanceof HttpsServerEvent.Error) {
                                        tlsErrors.incrementAndGet();
                                    }
                                })))) {
            HttpServer http = server.https().httpServer();
            int port = server.port();
            assertThat(TlsFixtures.fetch(client, port, "/tls", p -> {}).status())
                    .isEqualTo(200);
            // the shared after-case check: a bystander connected before the churn, and the baseline
            AfterCaseCheck check = AfterCaseCheck.before(server.https());
            long openedBefore = http.statistics().sessionsOpened();

            Attack attack = Attack.start("TLS churn", ATTACKERS, ROUNDS, MAX_TIME, (a, round) -> {
                try (Socket silent = connect(port)) {
                    // connected, closed before the ClientHello
                }
                Socket midHandshake = connect(port);
                midHandshake.getOutputStream().write(hello, 0, hello.length / 2);
                reset(midHandshake);
                try (SSLSocket half = TlsFixtures.connect(client, port)) {
                    half.getOutputStream().write(ascii("GET /tls HTTP/1.1\r\nHo"));
                }
                Socket raw = connect(port);
                SSLSocket midRequest = (SSLSocket) client.getSocketFactory().createSocket(raw, "localhost", port, true);
                midRequest.startHandshake();
                midRequest.getOutputStream().write(ascii("GET /tls HTTP/1.1\r\nHost: x\r\nX-"));
                reset(raw); // RST under TLS: no close_notify
            });
            int probes;
            try {
                // the bystander asks too, or the 2 s idle timeout would close it during the churn
                probes = attack.probeUntilEnd(100_000, () -> {
                    int kept =
                            check.bystander().exchange(AfterCaseCheck.REQUEST).status();
                    return kept != 200
                            ? kept
                            : TlsFixtures.fetch(client, port, "/tls", p -> {}).status();
                });
            } finally {
                attack.join();
            }

            assertThat(attack.failures()).isEmpty();
            assertThat(attack.rounds())
                    .as("every round ran before the time bound")
                    .isEqualTo(ATTACKERS * ROUNDS);
            assertThat(probes).as("probes served during the churn").isGreaterThanOrEqualTo(3);
            long connections = 4L * attack.rounds();
            // the last connections can still wait in the accept backlog after their clients are done
            Await.until(
                    "every connection accepted",
                    () -> http.statistics().sessionsOpened() - openedBefore >= connections + probes);
            assertThat(http.statistics().sessionsOpened() - openedBefore)
                    .as("every connection became a session")
                    .isEqualTo(connections + probes);
            // bystander served, new client served, sessions, threads, descriptors and CLOSE_WAIT
            // back, and hang-ups and resets not logged above DEBUG
            check.assertNobodyNoticed();
            check.close();
            assertThat(http.statistics().sessionsClosed())
                    .as("every session opened was closed")
                    .isEqualTo(http.statistics().sessionsOpened());
            assertThat(tlsErrors.get())
                    .as("at least the two kinds that never finish their handshake are reported")
                    .isGreaterThanOrEqualTo(2 * attack.rounds());
            System.out.printf(
                    "RELIABILITY churn TLS: connections=%d (silent/mid-handshake RST/half request/mid-request RST"
                            + " %d each) probes=%d HTTPS-errors=%d sessions-opened=%d%n",
                    connections,
                    attack.rounds(),
                    probes,
                    tlsErrors.get(),
                    http.statistics().sessionsOpened() - openedBefore);
            ReliabilityRecord.row(
                    LONG ? "churn.long" : "churn",
                    ReliabilityRecord.CHURN_HEADER,
                    "tls " + engine,
                    List.of(
                            "TLS, " + engine.name(),
                            "silent / RST mid-hello / half request / RST mid-request",
                            String.format(Locale.ROOT, "%,d", connections),
                            "at least 3, all 200",
                            "every session closed; bystander and new client served; sessions, threads,"
                                    + " descriptors back; nothing above DEBUG"));
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        return socket;
    }

    /** Closes with RST instead of FIN. */
    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
