package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.httpsd.server.Await;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.ReliabilityRecord;
import dev.httpsd.server.ResourceBaseline;
import dev.httpsd.server.UriHandler;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing accumulates per request or per connection: after many keep-alive requests and many new
 * TLS connections (each checked for its own answer), the heap after a full GC is back near its
 * baseline, and sessions, threads and descriptors are back ({@link ResourceBaseline}).
 *
 * <p>The JDK engine: the heap is what this measures, and the OpenSSL engine keeps its TLS state in
 * native memory (its engines are counted free by {@code AfterCaseCheck} in the hostile suites).
 * The client's {@link SSLContext} is made for each run and dropped before the heap is read, so its
 * session cache does not count as the server's.
 */
class MemoryAfterLoadTest {

    private static final boolean LONG = Boolean.getBoolean("httpsd.long");

    /** Keep-alive requests are spread over this many connections, new connections over as many threads. */
    private static final int CLIENTS = 4;

    /** The heap after GC may exceed its baseline by 5 % of it, or this, whichever is more. */
    private static final long SLACK_BYTES = 2L * 1024 * 1024;

    private static final double SLACK_FRACTION = 0.05;

    private TlsTestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theHeapReturnsToItsBaselineAfter100000RequestsAnd10000Connections() throws Exception {
        run("default", 100_000, 10_000, Duration.ofMinutes(4));
    }

    @Test
    void theHeapReturnsToItsBaselineAfterAMillionRequestsAnd100000Connections() throws Exception {
        assumeTrue(LONG, "the long variant, with -Dhttpsd.long=true");
        run("long", 1_000_000, 100_000, Duration.ofMinutes(25));
    }

    private void run(String variant, int requests, int connections, Duration deadline) throws Exception {
        server = TlsTestServer.start(TlsEngine.JDK, b -> b.httpd(h -> h.bindAddress(InetAddress.getLoopbackAddress())));
        HttpServer http = server.https().httpServer();
        AtomicLong handled = new AtomicLong();
        http.registerUriHandler(UriHandler.of("/n", HttpMethod.GET, (req, resp) -> {
            handled.incrementAndGet();
            // the client checks that it gets back its own number
            resp.contentType("text/plain").send(req.rawQuery());
        }));

        // warm-up: the code paths, the JIT, lazily made JDK structures, the server's session machinery
        exercise(http, requests / 50, connections / 50, deadline);
        Await.until("the warm-up sessions are gone", () -> http.openSessions() == 0);
        ResourceBaseline baseline = ResourceBaseline.record(http);
        long before = heapAfterGc();
        long handledBefore = handled.get();

        exercise(http, requests, connections, deadline);

        assertThat(handled.get() - handledBefore).isEqualTo(requests + (long) connections);
        Await.until("every session is closed", () -> http.openSessions() == 0);
        baseline.awaitReturn();
        long after = heapAfterGc();
        long bound = before + Math.max(SLACK_BYTES, (long) (before * SLACK_FRACTION));
        System.out.printf(
                Locale.ROOT,
                "RELIABILITY memory %s: requests=%d connections=%d heap-after-gc-MiB before=%.1f after=%.1f"
                        + " bound=%.1f sessions-opened=%d%n",
                variant,
                requests,
                connections,
                mib(before),
                mib(after),
                mib(bound),
                http.statistics().sessionsOpened());
        assertThat(after)
                .as("heap after a full GC: %.1f MiB before, %.1f MiB after", mib(before), mib(after))
                .isLessThanOrEqualTo(bound);

        ReliabilityRecord.row(
                LONG ? "memory.long" : "memory",
                List.of(
                        "run",
                        "keep-alive requests",
                        "new TLS connections (one request each)",
                        "answers checked",
                        "heap after a full GC",
                        "afterwards"),
                variant,
                List.of(
                        variant + " (JDK engine)",
                        number(requests) + " over " + CLIENTS + " connections",
                        number(connections) + " from " + CLIENTS + " clients",
                        "all " + number(requests + (long) connections) + ": 200 and the client's own number",
                        "back to its baseline + 5 % (at least + 2 MiB)",
                        "every session closed; sessions, threads, descriptors back"));
    }

    /**
     * {@code requests} keep-alive requests over {@link #CLIENTS} connections, then {@code
     * connections} new TLS connections with one request each, every answer checked.
     */
    private void exercise(HttpServer http, int requests, int connections, Duration deadline) throws Exception {
        SSLContext client = TlsFixtures.clientContext(null);
        long until = System.nanoTime() + deadline.toNanos();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int from = requests * c / CLIENTS;
            int to = requests * (c + 1) / CLIENTS;
            threads.add(Thread.ofVirtual().start(() -> {
                try (SSLSocket socket = TlsFixtures.connect(client, server.port());
                        RawClient https = new RawClient(socket)) {
                    for (int i = from; i < to; i++) {
                        check(https.exchange(request(i)), i);
                        if (System.nanoTime() > until) {
                            throw new AssertionError("keep-alive requests not done within " + deadline);
                        }
                    }
                } catch (Throwable t) {
                    failures.add("keep-alive client: " + t);
                }
            }));
        }
        join(threads);
        assertThat(failures).isEmpty();

        threads.clear();
        for (int c = 0; c < CLIENTS; c++) {
            int from = connections * c / CLIENTS;
            int to = connections * (c + 1) / CLIENTS;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = from; i < to; i++) {
                        try (SSLSocket socket = TlsFixtures.connect(client, server.port());
                                RawClient https = new RawClient(socket)) {
                            check(https.exchange(request(i)), i);
                        }
                        if (System.nanoTime() > until) {
                            throw new AssertionError("new connections not done within " + deadline);
                        }
                    }
                } catch (Throwable t) {
                    failures.add("new-connection client: " + t);
                }
            }));
        }
        join(threads);
        assertThat(failures).isEmpty();
    }

    private static String request(int i) {
        return "GET /n?" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    private static void check(RawClient.Response response, int i) {
        if (response.status() != 200 || !response.bodyText().equals(String.valueOf(i))) {
            throw new AssertionError("request " + i + " got " + response.statusLine() + " " + response.bodyText());
        }
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            // each client gives up at its own deadline; this is the safety net above it
            if (!thread.join(Duration.ofMinutes(30))) {
                throw new AssertionError(thread + " did not end");
            }
        }
    }

    /**
     * The heap in use after full collections, once two in a row agree within 1 % (at most ten):
     * the lowest reading.
     */
    private static long heapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long lowest = Long.MAX_VALUE;
        long previous = -1;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            lowest = Math.min(lowest, used);
            if (previous >= 0 && Math.abs(used - previous) <= previous / 100) {
                break;
            }
            previous = used;
        }
        return lowest;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
