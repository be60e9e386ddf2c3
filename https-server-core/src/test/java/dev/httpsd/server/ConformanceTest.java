package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TlsFixtures;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser conformance suite: every case of {@link ConformanceCases}, over raw sockets, sent
 * whole, split after every CRLF and one byte per write, on the plain and on the TLS connector.
 * Each case checks the statuses in order, {@code Connection: close} and the server's close where
 * expected (or a follow-up answered on the same connection), the exact handler calls, that the
 * server logged nothing above DEBUG, and that neither a new connection nor a connection open since
 * the start notices anything.
 *
 * <p>The whole matrix runs by default (every case, three ways, two connectors: some 1,600 runs in
 * about 15 s). {@code -Dhttpsd.long=true}
 * adds {@value #RANDOM_CUT_SEEDS} more ways per case and connector: the bytes cut into pieces of 1
 * to 16 bytes at seeded random places.
 */
class ConformanceTest {

    private static final boolean LONG = Boolean.getBoolean("httpsd.long");
    private static final int RANDOM_CUT_SEEDS = 8;

    /** Only matters when the server misbehaves (no close, no answer); generous for a busy machine. */
    private static final int CLIENT_TIMEOUT_MILLIS = 15_000;

    private static final String PROBE = "GET /probe HTTP/1.1\r\nHost: x\r\n\r\n";

    private static final AtomicInteger calls = new AtomicInteger();
    private static final AtomicInteger completions = new AtomicInteger();
    private static final Map<Connector, RawClient> bystanders = new EnumMap<>(Connector.class);
    /** Runs that passed every check, per case family, for the {@code conformance} table. */
    private static final Map<String, AtomicInteger> passedRuns = new ConcurrentHashMap<>();

    private static HttpServer plain;
    private static HttpsServer tls;
    private static SSLContext tlsClient;
    private static LogCapture log;

    enum Connector {
        PLAIN,
        TLS
    }

    /**
     * How the request bytes go over the wire (each piece one write, flushed, with TCP_NODELAY; on
     * TLS each piece is its own record): the parser must not care.
     */
    record Way(String name, long seed) {
        static final Way WHOLE = new Way("whole", 0);
        static final Way PER_LINE = new Way("per line", 0);
        static final Way PER_BYTE = new Way("per byte", 0);

        /** Pieces of 1 to 16 bytes, cut where a seeded random says. */
        static Way randomCuts(long seed) {
            return new Way("random cuts #" + seed, seed);
        }

        List<byte[]> pieces(byte[] bytes) {
            List<byte[]> pieces = new ArrayList<>();
            if (this == WHOLE) {
                pieces.add(bytes);
            } else if (this == PER_LINE) {
                int from = 0;
                for (int i = 0; i + 1 < bytes.length; i++) {
                    if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                        pieces.add(Arrays.copyOfRange(bytes, from, i + 2));
                        from = i + 2;
                    }
                }
                if (from < bytes.length) {
                    pieces.add(Arrays.copyOfRange(bytes, from, bytes.length));
                }
            } else {
                Random random = new Random(seed);
                for (int from = 0; from < bytes.length; ) {
                    int length = this == PER_BYTE ? 1 : 1 + random.nextInt(16);
                    int to = Math.min(bytes.length, from + length);
                    pieces.add(Arrays.copyOfRange(bytes, from, to));
                    from = to;
                }
            }
            return pieces;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void startServers() throws Exception {
        // the package logger: the HTTP server's and the TLS layer's records both
        log = new LogCapture("dev.httpsd.server");
        HttpServerConfig config = ServerFixture.loopback()
                .maxUriLen(ConformanceCases.MAX_URI_LEN)
                .maxReqHdrLen(ConformanceCases.MAX_REQ_HDR_LEN)
                .maxHeaderCount(ConformanceCases.MAX_HEADER_COUNT)
                .maxContentLength(ConformanceCases.MAX_CONTENT_LENGTH)
                .uriMatcher(UriMatcher.wildcard())
                // the bystanders stay connected for the whole class
                .idleTimeout(Duration.ofMinutes(30))
                .build();
        plain = HttpServer.start(config);
        plain.registerUriHandler(UriHandler.of("*", HttpMethod.ANY, ConformanceTest::handle));
        tls = HttpsServer.start(
                HttpsServerConfig.builder()
                        .portSecure(0)
                        .portInsecure(0)
                        .serverKey(TlsFixtures.SERVER)
                        .httpd(config)
                        .build(),
                server -> server.registerUriHandler(UriHandler.of("*", HttpMethod.ANY, ConformanceTest::handle)));
        tlsClient = TlsFixtures.clientContext(null);
        for (Connector connector : Connector.values()) {
            bystanders.put(connector, connect(connector));
        }
    }

    static List<Way> ways() {
        List<Way> ways = new ArrayList<>(List.of(Way.WHOLE, Way.PER_LINE, Way.PER_BYTE));
        if (LONG) {
            for (long seed = 1; seed <= RANDOM_CUT_SEEDS; seed++) {
                ways.add(Way.randomCuts(seed));
            }
        }
        return ways;
    }

    /**
     * The {@code conformance} table: per family its cases, the runs the matrix makes of them and
     * how many passed every check of {@link #theServerReactsAsSpecifiedAndNoOtherSessionNotices}.
     */
    @AfterAll
    static void record() {
        if (passedRuns.isEmpty()) {
            return;
        }
        int perCase = ways().size() * Connector.values().length;
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        for (ConformanceCase c : ConformanceCases.all()) {
            cases.merge(c.family(), 1, Integer::sum);
        }
        List<String> header = List.of("family", "cases", "runs (" + ways().size() + " ways × 2 connectors)", "passed");
        String table = LONG ? "conformance.long" : "conformance";
        int index = 0;
        int allCases = 0;
        int allPassed = 0;
        for (Map.Entry<String, Integer> family : cases.entrySet()) {
            int passed = passedRuns
                    .getOrDefault(family.getKey(), new AtomicInteger())
                    .get();
            ReliabilityRecord.row(
                    table,
                    header,
                    String.format(Locale.ROOT, "%02d", index++),
                    List.of(
                            family.getKey(),
                            number(family.getValue()),
                            number(family.getValue() * perCase),
                            number(passed)));
            allCases += family.getValue();
            allPassed += passed;
        }
        ReliabilityRecord.row(
                table,
                header,
                "99",
                List.of("**all**", number(allCases), number(allCases * perCase), number(allPassed)));
    }

    private static String number(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    @AfterAll
    static void stopServers() throws IOException {
        for (RawClient bystander : bystanders.values()) {
            bystander.close();
        }
        if (tls != null) {
            tls.stop();
        }
        if (plain != null) {
            plain.stop();
        }
        if (log != null) {
            log.close();
        }
    }

    /** Counts the calls; answers {@code METHOD path[?query] host=HOST body=BODY}. */
    private static void handle(HttpRequest request, HttpResponse response) throws IOException {
        if (request.path().equals("/probe")) {
            response.contentType("text/plain").send("probe");
            return;
        }
        calls.incrementAndGet();
        String body = request.path().startsWith("/ignore")
                ? "-"
                : new String(request.body().readAllBytes(), StandardCharsets.ISO_8859_1);
        completions.incrementAndGet();
        response.contentType("text/plain")
                .send(request.method().token() + " " + request.path()
                        + (request.rawQuery() == null ? "" : "?" + request.rawQuery())
                        + " host=" + request.header("Host").orElse("-")
                        + " body=" + body);
    }

    private static RawClient connect(Connector connector) throws IOException {
        RawClient client = switch (connector) {
            case PLAIN -> new RawClient(plain.port());
            case TLS -> new RawClient(TlsFixtures.connect(tlsClient, tls.port()));
        };
        return client.timeout(CLIENT_TIMEOUT_MILLIS);
    }

    static Stream<Arguments> matrix() {
        List<Way> ways = ways();
        List<Arguments> matrix = new ArrayList<>();
        for (Connector connector : Connector.values()) {
            for (Way way : ways) {
                for (ConformanceCase c : ConformanceCases.all()) {
                    matrix.add(Arguments.of(connector, way, c));
                }
            }
        }
        return matrix.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void theServerReactsAsSpecifiedAndNoOtherSessionNotices(Connector connector, Way way, ConformanceCase c)
            throws Exception {
        // surefire's reports name parameterized cases by index only: every message names the case
        String where = connector + " " + way + " " + c + ": ";
        calls.set(0);
        completions.set(0);
        int logged = log.aboveDebug().size();

        try (RawClient client = connect(connector)) {
            List<RawClient.Response> responses = new ArrayList<>();
            send(way, client, c.request(), c);
            if (c.afterContinue() != null) {
                responses.add(read(client, where, c, responses));
                assertThat(responses.getFirst().status())
                        .as(where + "interim response")
                        .isEqualTo(100);
                send(way, client, c.afterContinue(), c);
            }
            if (c.halfClose()) {
                client.socket().shutdownOutput();
            }
            while (responses.size() < c.statuses().size()) {
                responses.add(read(client, where, c, responses));
            }

            assertThat(responses)
                    .extracting(RawClient.Response::status)
                    .as(where + "statuses")
                    .isEqualTo(c.statuses());
            if (c.bodies() != null) {
                assertThat(responses.stream()
                                .filter(r -> r.status() >= 200 && r.status() < 300)
                                .map(RawClient.Response::bodyText))
                        .as(where + "bodies")
                        .containsExactlyElementsOf(c.bodies());
            }
            for (int i = 0; i < responses.size(); i++) {
                boolean last = i == responses.size() - 1;
                String connection = responses.get(i).header("Connection");
                if (last && c.closes()) {
                    // after a FIN the server learns of the close only once it has answered
                    if (!c.halfClose()) {
                        assertThat(connection)
                                .as(where + "Connection of response %d", i)
                                .isEqualTo("close");
                    }
                } else if (responses.get(i).status() >= 200) {
                    assertThat(connection)
                            .as(where + "Connection of response %d", i)
                            .isNotEqualTo("close");
                }
            }
            if (c.closes()) {
                assertThat(client.closedByServer())
                        .as(where + "closed by the server")
                        .isTrue();
            } else {
                RawClient.Response followUp = client.exchange(PROBE);
                assertThat(followUp.status())
                        .as(where + "follow-up on the same connection")
                        .isEqualTo(200);
                assertThat(followUp.bodyText()).as(where + "follow-up body").isEqualTo("probe");
            }
        }

        // the connection is answered or closed: its handler calls are over
        assertThat(calls.get()).as(where + "handler calls").isEqualTo(c.calls());
        assertThat(completions.get())
                .as(where + "handler calls that read their whole body")
                .isEqualTo(c.completions());
        try (RawClient probe = connect(connector)) {
            assertThat(probe.exchange(PROBE).status())
                    .as(where + "probe on a new connection")
                    .isEqualTo(200);
        }
        assertThat(bystanders.get(connector).exchange(PROBE).status())
                .as(where + "probe on the bystander connection")
                .isEqualTo(200);
        assertThat(log.aboveDebug()).as(where + "server log above DEBUG").hasSize(logged);
        passedRuns.computeIfAbsent(c.family(), f -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Sends one part of a case. A server that refuses early may close before the last bytes of a
     * byte-per-write request are out; what counts then is what the client reads.
     */
    private static void send(Way way, RawClient client, byte[] bytes, ConformanceCase c) throws IOException {
        try {
            for (byte[] piece : way.pieces(bytes)) {
                client.send(piece);
            }
        } catch (IOException e) {
            if (!c.closes()) {
                throw e;
            }
        }
    }

    private static RawClient.Response read(
            RawClient client, String where, ConformanceCase c, List<RawClient.Response> so) throws IOException {
        try {
            return client.read();
        } catch (EOFException e) {
            return fail(
                    "%sclosed after %s, expected %s",
                    where, so.stream().map(RawClient.Response::status).toList(), c.statuses());
        }
    }
}
