package dev.httpsd.server.tls;

import static dev.httpsd.server.Attack.pace;
import static dev.httpsd.server.Attack.since;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.Attack;
import dev.httpsd.server.Await;
import dev.httpsd.server.HostileScenarioRecord;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.LogCapture;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.ResourceBaseline;
import dev.httpsd.server.UriHandler;
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
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The slow clients of {@code HostileClientsTest} over TLS, where the limits act through the TLS
 * transport: a slow head is answered 408 through TLS, a stalled body 408, a client that never
 * reads is closed at the send timeout. Probes get their handshake and 200 meanwhile.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class HostileTlsClientsTest {

    @Parameter
    TlsEngine engine;

    private static final Duration LIMIT = Duration.ofMillis(600);
    private static final Duration GENEROUS = Duration.ofSeconds(10);
    private static final Duration MAX_ATTACK = Duration.ofSeconds(40);

    private static SSLContext client;

    private final LogCapture log = new LogCapture("dev.httpsd.server");
    private TlsTestServer server;

    @BeforeAll
    static void clientContext() throws Exception {
        client = TlsFixtures.clientContext(null);
    }

    @AfterEach
    void stop() {
        log.close();
        if (server != null) {
            server.close();
        }
    }

    private ResourceBaseline start(UnaryOperator<HttpServerConfig.Builder> httpd) throws Exception {
        // no TLS 1.3 session tickets: after the handshake the only bytes from the server are its
        // answer, which the slowloris watches for
        server = TlsTestServer.start(
                engine,
                b -> b.sessionTickets(false).httpd(h -> httpd.apply(h.bindAddress(InetAddress.getLoopbackAddress()))));
        assertThat(probe()).isEqualTo(200);
        Await.until("the warm-up session is gone", () -> http().openSessions() == 0);
        return ResourceBaseline.record(http());
    }

    private HttpServer http() {
        return server.https().httpServer();
    }

    private int probe() throws IOException {
        return TlsFixtures.fetch(client, server.port(), "/tls", p -> {}).status();
    }

    /** A TLS connection over a raw socket the test keeps, to look at arriving ciphertext. */
    private SSLSocket tls(Socket raw) throws IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(raw, "localhost", server.port(), true);
        socket.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        socket.startHandshake();
        return socket;
    }

    private Socket raw() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), server.port());
    }

    @Test
    void slowlorisOverTlsIsAnswered408ThroughTlsAtTheHeaderReadTimeout() throws Exception {
        ResourceBaseline baseline = start(h -> h.headerReadTimeout(LIMIT)
                .recvWaitTimeout(Duration.ofSeconds(3))
                .idleTimeout(Duration.ofSeconds(5)));
        List<Duration> lifetimes = new CopyOnWriteArrayList<>();
        int attackers = 20;

        Attack attack = Attack.start("TLS slowloris", attackers, 100, MAX_ATTACK, (a, round) -> {
            try (Socket raw = raw();
                    SSLSocket socket = tls(raw);
                    RawClient https = new RawClient(socket)) {
                InputStream ciphertext = raw.getInputStream(); // only looked at: TLS reads it
                long started = System.nanoTime();
                https.send("GET /tls HTTP/1.1\r\nHost: x\r\nX-Slow: ");
                for (int i = 0; i < 400 && ciphertext.available() == 0; i++) {
                    https.send("a");
                    pace(Duration.ofMillis(100));
                }
                RawClient.Response response = https.read();
                Duration lived = since(started);

                assertThat(response.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(https.closedByServer()).isTrue();
                assertThat(lived).isBetween(LIMIT, LIMIT.plus(GENEROUS));
                lifetimes.add(lived);
            }
        });
        try {
            Await.until("every slowloris is connected", () -> http().openSessions() >= attackers);
            attack.probe(5, this::probe);
        } finally {
            attack.stopAndJoin();
        }

        assertThat(attack.failures()).isEmpty();
        assertThat(attack.rounds()).isGreaterThanOrEqualTo(attackers);
        assertThat(log.aboveDebug()).isEmpty();
        baseline.awaitReturn();
        report("TLS slowloris", attack, lifetimes);
        record(
                "t1",
                "TLS slowloris",
                attackers,
                "headerReadTimeout 600 ms → 408 through TLS and close",
                "5 TLS probes, all 200, while the attack ran");
    }

    @Test
    void aStalledBodyOverTlsIsAnswered408AtTheReceiveTimeout() throws Exception {
        ResourceBaseline baseline = start(h -> h.recvWaitTimeout(LIMIT).idleTimeout(Duration.ofSeconds(5)));
        List<Throwable> seenByHandler = new CopyOnWriteArrayList<>();
        http().registerUriHandler(UriHandler.of("/upload", HttpMethod.POST, (req, resp) -> {
            try {
                resp.send("received " + req.body().readAllBytes().length);
            } catch (SocketTimeoutException e) {
                seenByHandler.add(e);
                throw e;
            }
        }));
        List<Duration> lifetimes = new CopyOnWriteArrayList<>();

        Attack attack = Attack.start("TLS slow body", 8, 100, MAX_ATTACK, (a, round) -> {
            try (SSLSocket socket = TlsFixtures.connect(client, server.port());
                    RawClient https = new RawClient(socket)) {
                long lastSent = System.nanoTime();
                https.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "b".repeat(1000));
                RawClient.Response response = https.read();
                Duration lived = since(lastSent);

                assertThat(response.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
                assertThat(https.closedByServer()).isTrue();
                assertThat(lived).isBetween(LIMIT, LIMIT.plus(GENEROUS));
                lifetimes.add(lived);
            }
        });
        try {
            Await.until("the first stalled upload is open", () -> http().openSessions() >= 1);
            attack.probe(5, this::probe);
        } finally {
            attack.stopAndJoin();
        }

        assertThat(attack.failures()).isEmpty();
        assertThat(seenByHandler).hasSize(attack.rounds()).allMatch(SocketTimeoutException.class::isInstance);
        assertThat(log.aboveDebug()).isEmpty();
        baseline.awaitReturn();
        report("TLS slow body", attack, lifetimes);
        record(
                "t2",
                "TLS stalled body",
                8,
                "recvWaitTimeout 600 ms → the handler gets SocketTimeoutException, 408",
                "5 TLS probes, all 200, while the attack ran");
    }

    @Test
    void tlsClientsThatNeverReadAreClosedAtTheSendTimeout() throws Exception {
        ResourceBaseline baseline = start(h -> h.sendWaitTimeout(LIMIT));
        Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
        Map<Integer, Duration> failedAfter = new ConcurrentHashMap<>();
        http().registerUriHandler(UriHandler.of("/huge", HttpMethod.GET, (req, resp) -> {
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
        }));

        Attack attack = Attack.start("TLS slow reader", 4, 100, MAX_ATTACK, (a, round) -> {
            try (Socket raw = new Socket()) {
                raw.setReceiveBufferSize(4096);
                raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
                SSLSocket socket = tls(raw);
                socket.getOutputStream()
                        .write("GET /huge HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                int port = raw.getLocalPort();

                Await.until("the send to " + port + " fails", () -> failures.containsKey(port));
                assertThat(failures.get(port)).isInstanceOf(SocketTimeoutException.class);
                assertThat(failedAfter.get(port)).isBetween(LIMIT, LIMIT.plus(GENEROUS));
            }
        });
        try {
            Await.until("the slow readers are connected", () -> http().openSessions() >= 4);
            attack.probe(5, this::probe);
        } finally {
            attack.stopAndJoin();
        }

        assertThat(attack.failures()).isEmpty();
        assertThat(failures).hasSize(attack.rounds());
        assertThat(log.aboveDebug()).isEmpty();
        baseline.awaitReturn();
        report("TLS slow reader", attack, List.copyOf(failedAfter.values()));
        record(
                "t3",
                "TLS slow reader, 4 KiB receive buffer",
                4,
                "sendWaitTimeout 600 ms → the handler's write fails with SocketTimeoutException, session closed",
                "5 TLS probes, all 200, while the attack ran");
    }

    private void record(String key, String scenario, int clients, String limit, String served) {
        HostileScenarioRecord.row(
                key + "-" + engine,
                scenario + " (`HostileTlsClientsTest`, " + engine + ")",
                clients,
                limit,
                HostileScenarioRecord.between(LIMIT, GENEROUS),
                served,
                "sessions, threads, descriptors, CLOSE_WAIT back; nothing logged above DEBUG");
    }

    private static void report(String scenario, Attack attack, List<Duration> ends) {
        var stats = ends.stream().mapToLong(Duration::toMillis).summaryStatistics();
        System.out.printf(
                "RELIABILITY %s: rounds=%d probes=%d failures=%d end-after-ms min=%d max=%d%n",
                scenario, attack.rounds(), attack.probes(), attack.failures().size(), stats.getMin(), stats.getMax());
    }
}
