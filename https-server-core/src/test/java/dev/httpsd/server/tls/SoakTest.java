package dev.httpsd.server.tls;

import static dev.httpsd.server.Attack.pace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.httpsd.server.Attack;
import dev.httpsd.server.Await;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.LoadGenerator;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.ReliabilityRecord;
import dev.httpsd.server.ResourceBaseline;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.WebSocket;
import dev.httpsd.server.WsFrame;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A soak, on demand only: {@code -Dhttpsd.soak.minutes=30} (at most 600). For that long, over TLS
 * at once: the load generator's keep-alive and one-request clients (every answer checked against
 * what the client computed, the clients' books against the handlers'), WebSocket clients echoing
 * numbered messages, slowloris clients each ended by the head deadline with a 408, and a
 * certificate reload every 10 s. Then everything must be answered, nothing lost, and sessions,
 * threads and descriptors back at their baseline. Not part of {@code mvn verify}.
 */
class SoakTest {

    private static final int MINUTES = Integer.getInteger("httpsd.soak.minutes", 0);
    private static final Duration HEADER_READ = Duration.ofSeconds(2);
    private static final KeyMaterial OTHER =
            TlsFixtures.CA.issueServer("localhost", Duration.ofDays(2), Certificates.DEVELOPMENT_NAMES);

    private TlsTestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 11, unit = TimeUnit.HOURS)
    void mixedTrafficForMinutesLosesNothingAndLeavesNothingBehind() throws Exception {
        assumeTrue(MINUTES > 0, "a soak runs only on demand: -Dhttpsd.soak.minutes=<minutes>");
        assertThat(MINUTES).as("httpsd.soak.minutes").isBetween(1, 600);
        Duration duration = Duration.ofMinutes(MINUTES);
        SSLContext client = TlsFixtures.clientContext(null);
        // no TLS 1.3 session tickets: after the handshake the only bytes from the server are its
        // answer, which the slowloris clients watch for
        server = TlsTestServer.start(
                TlsEngine.JDK,
                b -> b.sessionTickets(false)
                        .httpd(h -> h.bindAddress(InetAddress.getLoopbackAddress())
                                .headerReadTimeout(HEADER_READ)
                                .idleTimeout(Duration.ofSeconds(30))));
        HttpServer http = server.https().httpServer();
        LoadGenerator.Ledger ledger = LoadGenerator.install(http);
        http.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (request, response) -> {
                    if (request.method() == HttpMethod.GET) {
                        return; // the handshake
                    }
                    WebSocket ws = WebSocket.of(request).orElseThrow();
                    WsFrame frame = ws.recvFrame(1 << 16);
                    ws.sendFrame(new WsFrame(frame.type(), frame.finalFragment(), frame.fragmented(), frame.payload()));
                },
                null));
        assertThat(TlsFixtures.fetch(client, server.port(), "/tls", p -> {}).status())
                .isEqualTo(200);
        Await.until("the warm-up session is gone", () -> http.openSessions() == 0);
        ResourceBaseline baseline = ResourceBaseline.record(http);
        long until = System.nanoTime() + duration.toNanos();

        LoadGenerator load = LoadGenerator.start(
                () -> TlsFixtures.connect(client, server.port()),
                new LoadGenerator.Settings(4, 2, duration, Integer.MAX_VALUE, 23, false));
        AtomicLong echoed = new AtomicLong();
        List<String> wsFailures = new CopyOnWriteArrayList<>();
        List<Thread> wsClients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            wsClients.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < until && wsFailures.isEmpty()) {
                    try {
                        echoed.addAndGet(webSocketSession(client, 100));
                    } catch (Throwable t) {
                        wsFailures.add("WebSocket client: " + t);
                    }
                }
            }));
        }
        Attack slowloris = Attack.start("soak slowloris", 4, Integer.MAX_VALUE, duration, (a, round) -> {
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port());
                    SSLSocket socket = tls(client, raw);
                    RawClient https = new RawClient(socket)) {
                InputStream ciphertext = raw.getInputStream();
                https.send("GET /tls HTTP/1.1\r\nHost: x\r\nX-Slow: ");
                for (int i = 0; i < 100 && ciphertext.available() == 0; i++) {
                    https.send("a");
                    pace(Duration.ofMillis(200));
                }
                RawClient.Response response = https.read();
                assertThat(response.status()).isEqualTo(408);
                assertThat(https.closedByServer()).isTrue();
            }
        });
        AtomicBoolean reloading = new AtomicBoolean(true);
        AtomicLong reloads = new AtomicLong();
        Thread reloader = Thread.ofVirtual().start(() -> {
            while (reloading.get() && System.nanoTime() < until) {
                pace(Duration.ofSeconds(10));
                server.https().reload(reloads.incrementAndGet() % 2 == 1 ? OTHER : TlsFixtures.SERVER);
            }
        });

        LoadGenerator.Result result = load.await(duration.plusMinutes(5));
        for (Thread wsClient : wsClients) {
            assertThat(wsClient.join(Duration.ofMinutes(5))).isTrue();
        }
        slowloris.join();
        reloading.set(false);
        assertThat(reloader.join(Duration.ofMinutes(1))).isTrue();

        LoadGenerator.assertAllAnswered(result, ledger);
        assertThat(wsFailures).isEmpty();
        assertThat(slowloris.failures()).isEmpty();
        assertThat(echoed.get()).isPositive();
        assertThat(slowloris.rounds()).isPositive();
        Await.until("every session is closed", () -> http.openSessions() == 0);
        baseline.awaitReturn();
        String figures = String.format(
                Locale.ROOT,
                "%d min: %,d requests over %,d connections, %,d WebSocket echoes, %,d slowloris 408s, %,d reloads",
                MINUTES,
                result.sent(),
                result.connections(),
                echoed.get(),
                slowloris.rounds(),
                reloads.get());
        System.out.println("RELIABILITY soak " + figures);
        // the soak's own figures, which differ from run to run: the table is generated from the
        // record of the run shown, and only a soak run checks it
        ReliabilityRecord.row(
                "soak",
                List.of(
                        "run",
                        "requests (connections)",
                        "WebSocket echoes",
                        "slowloris 408s",
                        "certificate reloads",
                        "lost, duplicated or wrong",
                        "afterwards"),
                "run",
                List.of(
                        MINUTES + " min, JDK engine",
                        String.format(Locale.ROOT, "%,d (%,d)", result.sent(), result.connections()),
                        String.format(Locale.ROOT, "%,d", echoed.get()),
                        String.format(Locale.ROOT, "%,d", slowloris.rounds()),
                        String.format(Locale.ROOT, "%,d", reloads.get()),
                        "0 (every answer checked; the books match)",
                        "every session closed; sessions, threads, descriptors back"));
    }

    private static SSLSocket tls(SSLContext client, Socket raw) throws java.io.IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(raw, "localhost", raw.getPort(), true);
        socket.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        socket.startHandshake();
        return socket;
    }

    /** One wss session: {@code messages} numbered texts, each echoed back; then a clean close. */
    private int webSocketSession(SSLContext context, int messages) throws Exception {
        TextMessages listener = new TextMessages();
        try (HttpClient httpClient = HttpClient.newBuilder().sslContext(context).build()) {
            java.net.http.WebSocket ws = httpClient
                    .newWebSocketBuilder()
                    .buildAsync(URI.create("wss://localhost:" + server.port() + "/ws"), listener)
                    .get(20, TimeUnit.SECONDS);
            for (int i = 0; i < messages; i++) {
                String text = "message " + i;
                ws.sendText(text, true).get(20, TimeUnit.SECONDS);
                String echo = listener.received.poll(20, TimeUnit.SECONDS);
                if (!text.equals(echo)) {
                    throw new AssertionError("sent '" + text + "', echoed '" + echo + "'");
                }
            }
            ws.sendClose(1000, "done").get(20, TimeUnit.SECONDS);
            assertThat(listener.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
        }
        return messages;
    }
}
