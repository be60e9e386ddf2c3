package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * A bounded load generator and the handlers it talks to, each side keeping its own books so that a
 * test can compare them: every request id the clients sent, every one the server's handlers saw,
 * and every complete, verified response the clients got.
 *
 * <p>Clients are raw sockets (plain or TLS, through a {@link Connector}), so that a response is
 * checked byte for byte: status, request id, body length and CRC32, and {@code Connection: close}
 * followed by the end of the stream when either side asked to close. Requests mix GET and POST,
 * bodies of 0 to 64 KiB of seeded random bytes, Content-Length and chunked framing both ways,
 * client closes (after a random number of requests, or {@code Connection: close}) and server
 * closes (the handler asks to close the session).
 */
public final class LoadGenerator {

    /** Opens a connection to the server under test, ready for HTTP (TLS handshake done). */
    @FunctionalInterface
    public interface Connector {
        Socket open() throws IOException;
    }

    /**
     * @param keepAliveClients clients that reuse their connection for up to 40 requests
     * @param perRequestClients clients that open a new connection for every request
     * @param duration how long clients start new requests
     * @param maxRequestsPerClient a bound on each client's requests however fast the server is
     * @param slowResponses when true, one response in 20 is sent in pieces with pauses, so that a
     *     stop finds requests in the middle of their response
     */
    public record Settings(
            int keepAliveClients,
            int perRequestClients,
            Duration duration,
            int maxRequestsPerClient,
            long seed,
            boolean slowResponses) {}

    /** The server's books: what its handlers were asked. */
    public static final class Ledger {
        private final AtomicLong invocations = new AtomicLong();
        private final AtomicLong completions = new AtomicLong();
        private final AtomicLong duplicates = new AtomicLong();
        private final Set<String> handled = ConcurrentHashMap.newKeySet();
        private final List<String> problems = new CopyOnWriteArrayList<>();
        private final CountDownLatch heldEntered = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        private void handling(String id) {
            invocations.incrementAndGet();
            if (!handled.add(id)) {
                duplicates.incrementAndGet();
                problems.add("handler invoked twice for " + id);
            }
        }

        public long invocations() {
            return invocations.get();
        }

        /** Handler invocations that returned normally. */
        public long completions() {
            return completions.get();
        }

        public long duplicates() {
            return duplicates.get();
        }

        public Set<String> handled() {
            return Set.copyOf(handled);
        }

        public List<String> problems() {
            return List.copyOf(problems);
        }

        /** Waits until a request to {@code /load/held} is inside its handler. */
        public boolean awaitHeld(Duration timeout) throws InterruptedException {
            return heldEntered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Lets the held request finish. */
        public void releaseHeld() {
            release.countDown();
        }
    }

    /** The clients' books. */
    public record Result(
            long sent,
            long answered,
            long unanswered,
            long refusals,
            long connections,
            long bodyBytes,
            Set<String> answeredIds,
            Set<String> unansweredIds,
            List<String> failures,
            int clientsEndedByRefusal) {}

    private static final HexFormat HEX = HexFormat.of();
    static final int MAX_BODY = 64 * 1024;

    private final Connector connector;
    private final Settings settings;
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final AtomicLong endedByRefusal = new AtomicLong();
    private final Set<String> answeredIds = ConcurrentHashMap.newKeySet();
    private final Set<String> unansweredIds = ConcurrentHashMap.newKeySet();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final long deadline;

    private LoadGenerator(Connector connector, Settings settings) {
        this.connector = connector;
        this.settings = settings;
        this.deadline = System.nanoTime() + settings.duration().toNanos();
    }

    /** Whether the long variant runs ({@code -Dhttpsd.long=true}). */
    public static final boolean LONG = Boolean.getBoolean("httpsd.long");

    /** The settings of a test run: 6 clients, or 16 for 15 times as long in the long variant. */
    public static Settings settings(long seed, boolean slowResponses, Duration duration) {
        return LONG
                ? new Settings(10, 6, duration.multipliedBy(15), 1_000_000, seed, slowResponses)
                : new Settings(4, 2, duration, 100_000, seed, slowResponses);
    }

    /** Sent == answered == handled, every id on both sides, nothing unanswered or doubled. */
    public static void assertAllAnswered(Result result, Ledger ledger) {
        assertThat(result.failures()).isEmpty();
        assertThat(ledger.problems()).isEmpty();
        assertThat(result.sent()).isPositive();
        assertThat(result.unanswered()).isZero();
        assertThat(result.refusals()).isZero();
        assertThat(result.answered()).isEqualTo(result.sent());
        assertThat(ledger.invocations()).isEqualTo(result.sent());
        assertThat(ledger.completions()).isEqualTo(result.sent());
        assertThat(ledger.duplicates()).isZero();
        assertThat(ledger.handled()).isEqualTo(result.answeredIds());
    }

    /**
     * Whatever a handler started was answered in full; what was not answered never reached a
     * handler; and every client ended on a refused connection, none on a cut response.
     */
    public static void assertStoppedCleanly(Result result, Ledger ledger, Settings settings) {
        assertThat(result.failures()).as("no truncated or wrong response").isEmpty();
        assertThat(ledger.problems()).isEmpty();
        assertThat(ledger.duplicates()).isZero();
        assertThat(result.sent()).isEqualTo(result.answered() + result.unanswered());
        assertThat(ledger.handled())
                .as("every request a handler saw was answered")
                .isEqualTo(result.answeredIds());
        assertThat(result.unansweredIds()).doesNotContainAnyElementsOf(ledger.handled());
        assertThat(ledger.invocations()).isEqualTo(result.answered());
        assertThat(ledger.completions()).isEqualTo(result.answered());
        assertThat(result.clientsEndedByRefusal())
                .as("every client ended on a refused connection")
                .isEqualTo(settings.keepAliveClients() + settings.perRequestClients());
    }

    /**
     * The {@code load} table's row for a run whose checks all passed: what was asserted, not the
     * counts, which vary with the machine ({@link #report} prints those).
     *
     * @param gracefulStop whether the run ended with a graceful stop ({@link #assertStoppedCleanly})
     *     rather than by running out its time ({@link #assertAllAnswered})
     */
    public static void record(String key, String variant, Settings settings, boolean gracefulStop) {
        String clients = settings.keepAliveClients() + " keep-alive + " + settings.perRequestClients()
                + " one-request-per-connection clients";
        ReliabilityRecord.row(
                LONG ? "load.long" : "load",
                List.of("run", "clients", "ended by", "asserted"),
                key,
                List.of(
                        variant,
                        clients,
                        gracefulStop
                                ? "a graceful stop (20 s grace) while a request is held in its handler"
                                : settings.duration().toSeconds() + " s of load",
                        gracefulStop
                                ? "whatever reached a handler answered in full, the rest never reached one; 0 truncated,"
                                        + " 0 duplicated; every client ended on a refused connection; the held request"
                                        + " answered with Connection: close"
                                : "sent = answered = handler invocations = completions; 0 unanswered, 0 refused,"
                                        + " 0 duplicated; every body checked by length and CRC32"));
    }

    public static void report(String variant, Result result, ServerStatistics statistics) {
        System.out.printf(
                "RELIABILITY load %s: sent=%d answered=%d unanswered=%d refusals=%d connections=%d "
                        + "body-MiB=%.1f failures=%d server-requests=%d server-sessions=%d%n",
                variant,
                result.sent(),
                result.answered(),
                result.unanswered(),
                result.refusals(),
                result.connections(),
                result.bodyBytes() / (1024.0 * 1024.0),
                result.failures().size(),
                statistics.requests(),
                statistics.sessionsOpened());
    }

    // ---- server side ---------------------------------------------------------------------------

    /** Registers {@code GET /load/data}, {@code POST /load/echo} and {@code GET /load/held}. */
    public static Ledger install(HttpServer server) {
        Ledger ledger = new Ledger();
        server.registerUriHandler(UriHandler.of("/load/data", HttpMethod.GET, (req, resp) -> {
            String id = req.header("X-Req-Id").orElse("?");
            ledger.handling(id);
            int size = Integer.parseInt(req.queryValue("size").orElseThrow());
            byte[] body = seeded(Long.parseLong(req.queryValue("seed").orElseThrow()), size);
            respond(req, resp, id, body);
            ledger.completions.incrementAndGet();
        }));
        server.registerUriHandler(UriHandler.of("/load/echo", HttpMethod.POST, (req, resp) -> {
            String id = req.header("X-Req-Id").orElse("?");
            ledger.handling(id);
            byte[] body = req.body().readAllBytes();
            String crc = crc(body);
            if (!crc.equals(req.header("X-CRC32").orElse(""))) {
                ledger.problems.add(id + ": request body arrived with CRC32 " + crc + ", " + body.length + " bytes");
                resp.sendError(HttpError.BAD_REQUEST_400, "checksum mismatch");
                return;
            }
            respond(req, resp, id, body);
            ledger.completions.incrementAndGet();
        }));
        server.registerUriHandler(UriHandler.of("/load/held", HttpMethod.GET, (req, resp) -> {
            ledger.heldEntered.countDown();
            if (!ledger.release.await(30, TimeUnit.SECONDS)) {
                ledger.problems.add("the held request was never released");
            }
            resp.header("X-Req-Id", "held").send("held");
        }));
        return ledger;
    }

    private static void respond(HttpRequest req, HttpResponse resp, String id, byte[] body) throws IOException {
        resp.contentType("application/octet-stream").header("X-Req-Id", id).header("X-CRC32", crc(body));
        if (req.header("X-Close").isPresent()) {
            resp.closeSession();
        }
        int pauseMillis = req.header("X-Slow").map(Integer::parseInt).orElse(0);
        if (req.header("X-Chunked-Response").isEmpty() && pauseMillis == 0) {
            resp.send(body);
            return;
        }
        Random pieces = new Random(body.length);
        int offset = 0;
        while (offset < body.length) {
            int length = Math.min(body.length - offset, 1 + pieces.nextInt(16 * 1024));
            resp.sendChunk(body, offset, length);
            offset += length;
            if (pauseMillis > 0) {
                // pacing a deliberately slow response, not waiting for anything
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
            }
        }
        resp.sendChunk(new byte[0], 0, 0);
    }

    // ---- client side ---------------------------------------------------------------------------

    /** Starts the clients; they end by themselves at the deadline, the request bound, or a refusal. */
    public static LoadGenerator start(Connector connector, Settings settings) {
        LoadGenerator generator = new LoadGenerator(connector, settings);
        int total = settings.keepAliveClients() + settings.perRequestClients();
        for (int i = 0; i < total; i++) {
            boolean keepAlive = i < settings.keepAliveClients();
            int client = i;
            generator.clients.add(
                    Thread.ofVirtual().name("load-client-" + i).start(() -> generator.runClient(client, keepAlive)));
        }
        return generator;
    }

    /** Complete, verified responses so far. */
    public long answered() {
        return answered.get();
    }

    /** Waits for every client to end and returns the books. */
    public Result await(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (Thread client : clients) {
            long left = Math.max(1, end - System.nanoTime());
            if (!client.join(Duration.ofNanos(left))) {
                throw new AssertionError(client.getName() + " still running after " + timeout);
            }
        }
        return new Result(
                sent.get(),
                answered.get(),
                unanswered.get(),
                refusals.get(),
                connections.get(),
                bodyBytes.get(),
                Set.copyOf(answeredIds),
                Set.copyOf(unansweredIds),
                List.copyOf(failures),
                (int) endedByRefusal.get());
    }

    private void runClient(int client, boolean keepAlive) {
        Random random = new Random(settings.seed() * 1_000_003 + client);
        LoadConnection connection = null;
        int left = 0;
        try {
            for (int seq = 0; seq < settings.maxRequestsPerClient() && System.nanoTime() < deadline; seq++) {
                if (connection == null) {
                    try {
                        connection = new LoadConnection(connector.open());
                    } catch (ConnectException e) {
                        refusals.incrementAndGet();
                        endedByRefusal.incrementAndGet();
                        return; // the server is gone: a stop under load ends here
                    } catch (IOException e) {
                        // connected into the backlog of a listener that then closed (reset during
                        // the TLS handshake): closed before any request; the next try is refused
                        refusals.incrementAndGet();
                        continue;
                    }
                    connections.incrementAndGet();
                    left = keepAlive ? 1 + random.nextInt(40) : 1;
                }
                LoadRequest request =
                        LoadRequest.random("c" + client + "-" + seq, random, keepAlive, settings.slowResponses());
                boolean open = exchange(connection, request);
                left--;
                if (!open || left == 0) {
                    connection.close();
                    connection = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            failures.add("client " + client + ": " + e);
        } finally {
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException e) {
                    // ending anyway
                }
            }
        }
    }

    /** One request and its response; false when the connection is finished. */
    private boolean exchange(LoadConnection connection, LoadRequest request) throws IOException {
        long receivedBefore = connection.received();
        sent.incrementAndGet();
        LoadConnection.Response response;
        try {
            connection.write(request.bytes());
            response = connection.read();
        } catch (IOException e) {
            if (connection.received() == receivedBefore) {
                // the server closed before answering (e.g. a stop found the session idle): allowed,
                // provided its handler never saw the request, which the test checks
                unanswered.incrementAndGet();
                unansweredIds.add(request.id());
                return false;
            }
            failures.add(request + ": truncated response after " + (connection.received() - receivedBefore) + " bytes: "
                    + e);
            return false;
        }
        String problem = request.check(response);
        if (problem != null) {
            failures.add(request + ": " + problem);
            return false;
        }
        boolean closing = "close".equalsIgnoreCase(response.headers().get("connection"));
        if (request.closeExpected() && !closing) {
            failures.add(request + ": no Connection: close although " + request.closer() + " asked to close");
            return false;
        }
        if (closing && !connection.atEndOfStream()) {
            failures.add(request + ": Connection: close but the server kept the connection open");
            return false;
        }
        answered.incrementAndGet();
        answeredIds.add(request.id());
        bodyBytes.addAndGet(response.body().length);
        return !closing;
    }

    static byte[] seeded(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return HEX.toHexDigits((int) crc.getValue());
    }
}
