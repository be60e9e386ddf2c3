package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.ReliabilityRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A handshake flood: many more clients than session slots open TCP, send a ClientHello and then
 * stall. The handshake timeout ends each of them; the slots they held are never taken back by LRU
 * purge (a session in its handshake has served nothing); the server never holds more sessions
 * than its slots; a probe queued behind the flood is served once slots free; a kept-alive
 * bystander is served throughout unless LRU purge closes it, the only session it may close.
 *
 * <p>Default: 16 slots, 48 stalling clients, 1 s handshake timeout (a few seconds per variant).
 * {@code -Dhttpsd.long=true}: 256 slots, 1000 clients, 2 s timeout.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
@ExtendWith(HostileSuiteRecord.class)
class HandshakeFloodTest {

    @Parameter
    TlsEngine engine;

    private static final boolean LONG = Boolean.getBoolean("httpsd.long");
    private static final int SLOTS = LONG ? 256 : 16;
    private static final int FLOOD = LONG ? 1000 : 48;
    private static final Duration HANDSHAKE_TIMEOUT = LONG ? Duration.ofSeconds(2) : Duration.ofSeconds(1);
    /** Far above the time the flood needs (waves of one timeout each), as a safety net only. */
    private static final Duration FLOOD_DEADLINE = Duration.ofSeconds(LONG ? 300 : 120);

    /** How one stalling client ended. */
    private enum Outcome {
        /** The server answered its hello, then closed it. */
        FLIGHT_THEN_CLOSED,
        /** Closed without a byte. */
        CLOSED_SILENTLY,
        /** Still open when the client gave up. */
        NOT_CLOSED,
        /** Could not connect or send. */
        CONNECT_FAILED
    }

    @ParameterizedTest(name = "LRU purge {0}")
    @ValueSource(booleans = {true, false})
    void stalledHandshakesEndAtTheirTimeoutAndTheServerRecovers(boolean lruPurge) throws Exception {
        EventRecorder events = new EventRecorder();
        byte[] hello = RawTls.jsseClientHello();
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.handshakeTimeout(HANDSHAKE_TIMEOUT)
                                .httpd(HttpServerConfig.builder()
                                        .maxOpenSockets(SLOTS)
                                        .lruPurgeEnable(lruPurge)
                                        .eventListener(events)
                                        .build()));
                AfterCaseCheck check = AfterCaseCheck.before(server.https())) {
            HttpServer http = server.https().httpServer();
            awaitIdle(http);

            ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<Outcome>> flood = new ArrayList<>();
            AtomicInteger mostSessions = new AtomicInteger();
            AtomicBoolean floodOver = new AtomicBoolean();
            long samplerDeadline = System.nanoTime() + FLOOD_DEADLINE.toNanos();
            clients.submit(() -> {
                while (!floodOver.get() && System.nanoTime() < samplerDeadline) {
                    mostSessions.accumulateAndGet(http.openSessions(), Math::max);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            });
            try {
                for (int i = 0; i < FLOOD; i++) {
                    flood.add(clients.submit(() -> stallAfterHello(server.port(), hello)));
                }
                long deadline = System.nanoTime() + FLOOD_DEADLINE.toNanos();
                while (http.openSessions() < SLOTS) {
                    assertThat(System.nanoTime())
                            .as("the flood fills every slot")
                            .isLessThan(deadline);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }

                // every slot is taken: a new client waits behind the flood, then is served
                RawClient.Response probe =
                        TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/tls", p -> {});
                assertThat(probe.status()).isEqualTo(200);

                while (!flood.stream().allMatch(Future::isDone)) {
                    assertThat(System.nanoTime()).as("the flood ends").isLessThan(deadline);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            } finally {
                floodOver.set(true);
                clients.shutdownNow();
            }

            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> client : flood) {
                outcomes.add(client.get());
            }
            // on a starved machine the timeout can fire before a session got to send its flight
            assertThat(outcomes).hasSize(FLOOD).doesNotContain(Outcome.NOT_CLOSED, Outcome.CONNECT_FAILED);
            // full, and never more than full: a slot is given back only after its session left the table
            assertThat(mostSessions).hasValue(SLOTS);
            // the timer closes a stalled socket, then its session thread posts the ERROR: a
            // client can see the close before the event is out
            dev.httpsd.server.Await.until(
                    "every stalled handshake reported",
                    () -> events.https(HttpsServerEvent.Error.class).size() >= FLOOD);
            List<HttpsServerEvent.Error> errors = events.https(HttpsServerEvent.Error.class);
            assertThat(errors)
                    .hasSize(FLOOD)
                    .allSatisfy(error -> assertThat(error.error().message())
                            .as("ended by its own timeout, not purged")
                            .isEqualTo("TLS handshake not finished within " + HANDSHAKE_TIMEOUT.toMillis() + " ms"));
            if (lruPurge) {
                // the bystander was the only purgeable session: idle, and it had served a request
                assertThat(http.statistics().lruPurges()).isEqualTo(1);
            } else {
                assertThat(http.statistics().lruPurges()).isZero();
            }
            // with LRU purge on, the bystander must have been closed by the server, not served
            check.assertNobodyNoticed(!lruPurge);
            // the bystander, the probe and the check's new client
            assertThat(http.statistics().sessionsOpened()).isEqualTo(FLOOD + 3L);
            System.out.printf(
                    "handshake flood, LRU purge %s: %d clients on %d slots, timeout %d ms: %d answered then"
                            + " closed, %d closed before the server's flight; %d timeout errors; most sessions"
                            + " %d; LRU purges %d; probe and bystander served%n",
                    lruPurge,
                    FLOOD,
                    SLOTS,
                    HANDSHAKE_TIMEOUT.toMillis(),
                    outcomes.stream().filter(Outcome.FLIGHT_THEN_CLOSED::equals).count(),
                    outcomes.stream().filter(Outcome.CLOSED_SILENTLY::equals).count(),
                    errors.size(),
                    mostSessions.get(),
                    http.statistics().lruPurges());
            // only what was asserted above: every client closed by the server, each by its own timeout
            ReliabilityRecord.row(
                    LONG ? "handshake-flood.long" : "handshake-flood",
                    List.of(
                            "engine",
                            "LRU purge",
                            "stalling clients",
                            "slots",
                            "handshake timeout",
                            "closed by the server",
                            "timeout ERRORs",
                            "most open sessions",
                            "LRU purges",
                            "bystander; new client"),
                    engine + " " + lruPurge,
                    List.of(
                            engine.name(),
                            lruPurge ? "on" : "off",
                            String.valueOf(FLOOD),
                            String.valueOf(SLOTS),
                            HANDSHAKE_TIMEOUT.toMillis() + " ms",
                            "all " + FLOOD,
                            String.valueOf(errors.size()),
                            String.valueOf(mostSessions.get()),
                            http.statistics().lruPurges() + (lruPurge ? " (the idle bystander)" : ""),
                            (lruPurge ? "purged" : "served") + "; served"));
        }
    }

    /** Opens TCP, sends a ClientHello, never answers the server's flight, reads until closed. */
    private static Outcome stallAfterHello(int port, byte[] hello) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) FLOOD_DEADLINE.toMillis());
            socket.getOutputStream().write(hello);
            InputStream in = socket.getInputStream();
            long received = 0;
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                }
            } catch (SocketTimeoutException e) {
                return Outcome.NOT_CLOSED;
            } catch (IOException e) {
                // a reset is a close too
            }
            return received > 0 ? Outcome.FLIGHT_THEN_CLOSED : Outcome.CLOSED_SILENTLY;
        } catch (IOException e) {
            return Outcome.CONNECT_FAILED;
        }
    }

    private static void awaitIdle(HttpServer http) {
        long deadline = System.nanoTime() + TlsFixtures.PATIENCE.toNanos();
        // the bystander's request is counted once its session is back to waiting for the next one
        while (http.statistics().requests() < 1) {
            assertThat(System.nanoTime()).as("the bystander's request is done").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
