package dev.httpsd.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.Await;
import dev.httpsd.server.Http2Config;
import dev.httpsd.server.Http2Statistics;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.ReliabilityRecord;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TlsFixtures;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 connection driven at the frame level over TLS by a Python client (raw frames, header
 * blocks from the {@code hpack} package of Debian's python3-h2): the h2spec groups that a server
 * meets first — the preface, SETTINGS and PING, flow control, RST_STREAM, GOAWAY, malformed
 * requests — and the abuse cases: a rapid-reset flood (CVE-2023-44487) and a CONTINUATION flood
 * (CVE-2024-27316 class) end the offender's connection with ENHANCE_YOUR_CALM while another
 * client is served.
 */
class Http2ConnectionTest {

    /**
     * Reads "port scenario count" from stdin, speaks raw HTTP/2 frames over TLS (ALPN h2) and prints
     * what the server sent that matters: SETTINGS, acks, response HEADERS, DATA totals, RST_STREAM,
     * GOAWAY, EOF.
     */
    static final String CLIENT = """
            import socket, ssl, struct, sys
            from hpack import Encoder, Decoder
            port, scenario, count = sys.stdin.read().split()
            port, count = int(port), int(count)
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.set_alpn_protocols(['h2'])
            s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', port), timeout=30), server_hostname='localhost')
            out = ['alpn ' + str(s.selected_alpn_protocol())]
            enc = Encoder()
            dec = Decoder()
            buf = b''
            def frame(t, flags, sid, payload=b''):
                return struct.pack('>I', len(payload))[1:] + bytes([t, flags]) + struct.pack('>I', sid) + payload
            def headers(sid, fields, end_stream=True):
                return frame(1, (1 if end_stream else 0) | 4, sid, enc.encode(fields))
            def get(sid, path):
                return headers(sid, [(':method', 'GET'), (':scheme', 'https'), (':authority', 'localhost'), (':path', path)])
            def read_frame():
                global buf
                while True:
                    if len(buf) >= 9:
                        length = int.from_bytes(buf[0:3], 'big')
                        if len(buf) >= 9 + length:
                            t, flags, sid = buf[3], buf[4], int.from_bytes(buf[5:9], 'big') & 0x7fffffff
                            payload = buf[9:9 + length]
                            buf = buf[9 + length:]
                            return t, flags, sid, payload
                    try:
                        d = s.recv(65536)
                    except (ConnectionResetError, ssl.SSLError, OSError):
                        d = b''
                    if not d:
                        return None
                    buf += d
            data = {}
            def read_until(stop):
                while True:
                    f = read_frame()
                    if f is None:
                        out.append('EOF')
                        return
                    t, flags, sid, p = f
                    line = None
                    if t == 4:
                        line = 'SETTINGS_ACK' if flags & 1 else 'SETTINGS'
                    elif t == 6 and flags & 1:
                        line = 'PING_ACK ' + p.hex()
                    elif t == 1:
                        fields = dict((n.decode() if isinstance(n, bytes) else n, v) for n, v in dec.decode(p))
                        line = 'HEADERS %d %s' % (sid, fields.get(':status'))
                    elif t == 0:
                        data[sid] = data.get(sid, 0) + len(p)
                        if flags & 1:
                            line = 'BODY %d %d' % (sid, data[sid])
                    elif t == 3:
                        line = 'RST_STREAM %d %d' % (sid, int.from_bytes(p[0:4], 'big'))
                    elif t == 7:
                        line = 'GOAWAY %d %d' % (int.from_bytes(p[0:4], 'big') & 0x7fffffff, int.from_bytes(p[4:8], 'big'))
                    if line is not None:
                        out.append(line)
                        if stop(line, f):
                            return
            PREFACE = b'PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n'
            if scenario == 'bad-preface':
                s.sendall(b'GET / HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n')
                read_until(lambda l, f: l.startswith('GOAWAY'))
            else:
                s.sendall(PREFACE + frame(4, 0, 0))
            if scenario == 'ping':
                s.sendall(frame(6, 0, 0, b'h2-ping!'))
                read_until(lambda l, f: l.startswith('PING_ACK'))
                s.sendall(frame(4, 1, 0))
                s.sendall(get(1, '/hello'))
                read_until(lambda l, f: l.startswith('BODY 1'))
            elif scenario == 'malformed':
                s.sendall(headers(1, [(':method', 'GET'), (':scheme', 'https'), (':authority', 'localhost'),
                                      (':path', '/hello'), ('X-Upper', 'no')]))
                s.sendall(headers(3, [(':method', 'GET'), (':scheme', 'https'), (':path', '/hello')]))
                s.sendall(headers(5, [(':method', 'GET'), (':scheme', 'https'), (':authority', 'localhost'),
                                      (':path', '/hello'), ('connection', 'keep-alive')]))
                s.sendall(get(7, '/hello'))
                read_until(lambda l, f: l.startswith('BODY 7'))
            elif scenario == 'window-overflow':
                s.sendall(frame(8, 0, 0, struct.pack('>I', 0x7fffffff)))
                read_until(lambda l, f: l.startswith('GOAWAY'))
            elif scenario == 'idle-rst':
                s.sendall(frame(3, 0, 5, struct.pack('>I', 8)))
                read_until(lambda l, f: l.startswith('GOAWAY'))
            elif scenario == 'flow':
                # a stream window of 1,000 octets: the server may send no more until we give credit
                s.sendall(frame(4, 0, 0, struct.pack('>HI', 4, 1000)))
                s.sendall(get(1, '/big'))
                granted = 1000
                while True:
                    f = read_frame()
                    if f is None:
                        out.append('EOF')
                        break
                    t, flags, sid, p = f
                    if t == 0:
                        data[sid] = data.get(sid, 0) + len(p)
                        if data[sid] > granted:
                            out.append('OVERRAN %d %d' % (data[sid], granted))
                        if flags & 1:
                            out.append('BODY %d %d' % (sid, data[sid]))
                            break
                        if data[sid] == granted:
                            granted += 1000
                            s.sendall(frame(8, 0, 1, struct.pack('>I', 1000)))
            elif scenario == 'rapid-reset':
                batch = b''
                for i in range(count):
                    sid = 1 + 2 * i
                    batch += headers(sid, [(':method', 'POST'), (':scheme', 'https'), (':authority', 'localhost'),
                                           (':path', '/wait')], end_stream=False)
                    batch += frame(3, 0, sid, struct.pack('>I', 8))
                    if len(batch) > 16384:
                        try:
                            s.sendall(batch)
                        except OSError:
                            break
                        batch = b''
                try:
                    s.sendall(batch)
                except OSError:
                    pass
                read_until(lambda l, f: l.startswith('GOAWAY'))
            elif scenario == 'continuation':
                first = enc.encode([(':method', 'GET'), (':scheme', 'https'), (':authority', 'localhost'), (':path', '/hello')])
                s.sendall(frame(1, 1, 1, first))
                try:
                    for i in range(count):
                        s.sendall(frame(9, 0, 1, b'\\x40\\x01a\\x01b'))
                except OSError:
                    pass
                read_until(lambda l, f: l.startswith('GOAWAY'))
            elif scenario == 'big-headers':
                block = enc.encode([(':method', 'GET'), (':scheme', 'https'), (':authority', 'localhost'),
                                    (':path', '/hello'), ('x-big', 'v' * 12000), ('x-big2', 'w' * 12000)])
                s.sendall(frame(1, 1, 1, block[:16000]) + frame(9, 4, 1, block[16000:]))
                s.sendall(get(3, '/hello'))
                read_until(lambda l, f: any(x.startswith('BODY 3') for x in out) and any(x.startswith('BODY 1') for x in out))
            elif scenario == 'refused':
                for i in range(count):
                    s.sendall(headers(1 + 2 * i, [(':method', 'POST'), (':scheme', 'https'), (':authority', 'localhost'),
                                                  (':path', '/wait')], end_stream=False))
                read_until(lambda l, f: l.startswith('RST_STREAM'))
            elif scenario == 'ping-flood':
                try:
                    for i in range(count):
                        s.sendall(frame(6, 0, 0, struct.pack('>Q', i)))
                except OSError:
                    pass
                read_until(lambda l, f: l.startswith('GOAWAY'))
            elif scenario == 'stall':
                s.sendall(frame(4, 0, 0, struct.pack('>HI', 4, 0)))
                s.sendall(get(1, '/big'))
                read_until(lambda l, f: l.startswith('RST_STREAM'))
                s.sendall(frame(4, 0, 0, struct.pack('>HI', 4, 65535)))
                s.sendall(get(3, '/hello'))
                read_until(lambda l, f: l.startswith('BODY 3'))
            elif scenario == 'drain':
                # stream 1 in flight (its body not sent) when the server's GOAWAY comes; stream 3 after it
                s.sendall(headers(1, [(':method', 'POST'), (':scheme', 'https'), (':authority', 'localhost'),
                                      (':path', '/slow')], end_stream=False))
                read_until(lambda l, f: l.startswith('GOAWAY'))
                s.sendall(get(3, '/hello'))
                read_until(lambda l, f: l.startswith('RST_STREAM 3'))
                s.sendall(frame(0, 1, 1, b'drained'))
                read_until(lambda l, f: False)
            elif scenario == 'abort':
                s.sendall(headers(1, [(':method', 'POST'), (':scheme', 'https'), (':authority', 'localhost'),
                                      (':path', '/slow')], end_stream=False))
                read_until(lambda l, f: False)
            elif scenario == 'trailers':
                s.sendall(headers(1, [(':method', 'POST'), (':scheme', 'https'), (':authority', 'localhost'),
                                      (':path', '/wait')], end_stream=False))
                s.sendall(frame(0, 0, 1, b'with trailers'))
                s.sendall(headers(1, [('x-checksum', 'abc')], end_stream=True))
                read_until(lambda l, f: l.startswith('BODY 1'))
            elif scenario == 'trailers-seen':
                # the trailers of a POST do not reach the handler, which answers what it sees of them
                s.sendall(headers(1, [(':method', 'POST'), (':scheme', 'https'), (':authority', 'localhost'),
                                      (':path', '/trailer-seen')], end_stream=False))
                s.sendall(frame(0, 0, 1, b'body'))
                s.sendall(headers(1, [('x-checksum', 'abc')], end_stream=True))
                read_until(lambda l, f: l.startswith('BODY 1'))
            elif scenario == 'bad-trailers':
                post = [(':method', 'POST'), (':scheme', 'https'), (':authority', 'localhost'), (':path', '/wait')]
                # a pseudo-header in trailers (RFC 9113 §8.1)
                s.sendall(headers(1, post, end_stream=False))
                s.sendall(frame(0, 0, 1, b'one'))
                s.sendall(headers(1, [('x-checksum', 'abc'), (':path', '/other')], end_stream=True))
                read_until(lambda l, f: l.startswith('RST_STREAM 1'))
                # trailers without END_STREAM (a second HEADERS must end the stream)
                s.sendall(headers(3, post, end_stream=False))
                s.sendall(frame(0, 0, 3, b'three'))
                s.sendall(headers(3, [('x-checksum', 'abc')], end_stream=False))
                read_until(lambda l, f: l.startswith('RST_STREAM 3'))
                s.sendall(get(5, '/hello'))
                read_until(lambda l, f: l.startswith('BODY 5'))
            elif scenario == 'open-after-served':
                # served once, then a stream the server holds open; read until the connection ends
                s.sendall(get(1, '/hello'))
                read_until(lambda l, f: l.startswith('BODY 1'))
                s.sendall(get(3, '/held'))
                read_until(lambda l, f: False)
            elif scenario == 'idle':
                # served once, then silent: the idle timeout (or a purge) ends the connection
                s.sendall(get(1, '/hello'))
                read_until(lambda l, f: False)
            print('\\n'.join(out))
            """;

    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private HttpsServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpsServer.start(HttpsServerConfig.builder()
                .portSecure(0)
                .portInsecure(0)
                .serverKey(TlsFixtures.SERVER)
                .httpd(h -> h.http2(Http2Config.DEFAULTS.withEnabled(true)).sendWaitTimeout(Duration.ofSeconds(2)))
                .build());
        var http = server.httpServer();
        http.registerUriHandler(
                UriHandler.of("/hello", HttpMethod.GET, (req, resp) -> resp.send("hello " + req.protocol())));
        http.registerUriHandler(UriHandler.of("/big", HttpMethod.GET, (req, resp) -> resp.send(new byte[10_000])));
        http.registerUriHandler(UriHandler.of(
                "/wait", HttpMethod.POST, (req, resp) -> resp.send(req.body().readAllBytes())));
        http.registerUriHandler(UriHandler.of("/trailer-seen", HttpMethod.POST, (req, resp) -> {
            byte[] body = req.body().readAllBytes();
            resp.send(body.length + " " + req.header("x-checksum").orElse("none"));
        }));
        http.registerUriHandler(UriHandler.of("/slow", HttpMethod.POST, (req, resp) -> {
            slowEntered.countDown();
            resp.send(req.body().readAllBytes());
        }));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private String drive(String scenario, int count) throws Exception {
        return PythonH2.run(CLIENT, server.port() + " " + scenario + " " + count);
    }

    /** Drives a scenario on another thread, for a test that acts on the server meanwhile. */
    private CompletableFuture<String> driveAsync(String scenario) {
        return PythonH2.runAsync(CLIENT, server.port() + " " + scenario + " 0");
    }

    private void awaitSlowHandler() throws InterruptedException {
        assertThat(slowEntered.await(PythonH2.TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .as("the slow handler runs")
                .isTrue();
    }

    @Test
    void prefaceSettingsAndPingAreAnsweredAndARequestIsServed() throws Exception {
        String out = drive("ping", 0);

        assertThat(out).contains("alpn h2", "SETTINGS\n", "SETTINGS_ACK", "PING_ACK " + hex("h2-ping!"));
        assertThat(out).contains("HEADERS 1 200", "BODY 1 " + "hello HTTP/2.0".length());
    }

    @Test
    void aPostWithTrailersIsServed() throws Exception {
        assertThat(drive("trailers", 0))
                .contains("HEADERS 1 200", "BODY 1 " + "with trailers".length())
                .doesNotContain("RST_STREAM", "GOAWAY");
    }

    @Test
    void requestTrailersAreValidatedAndDroppedAsOnHttp11() throws Exception {
        // the handler reads the whole body and sees no trailer field: "4 none", as HTTP/1.1's
        // chunked trailers are parsed and dropped
        assertThat(drive("trailers-seen", 0))
                .contains("HEADERS 1 200", "BODY 1 " + "4 none".length())
                .doesNotContain("RST_STREAM", "GOAWAY");
    }

    @Test
    void malformedTrailersResetTheirStreamAndTheConnectionServesTheNext() throws Exception {
        int protocolError = ErrorCode.PROTOCOL_ERROR.code();
        assertThat(drive("bad-trailers", 0))
                .contains("RST_STREAM 1 " + protocolError, "RST_STREAM 3 " + protocolError)
                .contains("HEADERS 5 200", "BODY 5 ")
                .doesNotContain("HEADERS 1 ", "HEADERS 3 ", "GOAWAY");
    }

    @Test
    void aClientThatDoesNotSendThePrefaceGetsGoAwayProtocolError() throws Exception {
        assertThat(drive("bad-preface", 0)).contains("GOAWAY 0 " + ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void malformedRequestsAreResetAndTheConnectionServesTheNext() throws Exception {
        String out = drive("malformed", 0);

        int protocolError = ErrorCode.PROTOCOL_ERROR.code();
        assertThat(out)
                .contains("RST_STREAM 1 " + protocolError, "RST_STREAM 3 " + protocolError)
                .contains("RST_STREAM 5 " + protocolError)
                .contains("HEADERS 7 200", "BODY 7 ")
                .doesNotContain("GOAWAY");
    }

    @Test
    void aWindowUpdateOverflowingTheConnectionWindowIsAFlowControlError() throws Exception {
        assertThat(drive("window-overflow", 0)).contains("GOAWAY 0 " + ErrorCode.FLOW_CONTROL_ERROR.code());
    }

    @Test
    void rstStreamOnAnIdleStreamIsAProtocolError() throws Exception {
        assertThat(drive("idle-rst", 0)).contains("GOAWAY 0 " + ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void theServerSendsNoMoreDataThanTheClientsWindowAllows() throws Exception {
        String out = drive("flow", 0);

        assertThat(out).contains("BODY 1 10000").doesNotContain("OVERRAN");
    }

    @Test
    void aRapidResetFloodEndsWithEnhanceYourCalmWhileAnotherClientIsServed() throws Exception {
        int streams = Boolean.getBoolean("httpsd.long") ? 100_000 : 5_000;
        AtomicBoolean flooding = new AtomicBoolean(true);
        List<Integer> statuses = new ArrayList<>();
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
            try (HttpClient client = HttpClient.newBuilder()
                    .sslContext(TlsFixtures.clientContext(null))
                    .version(HttpClient.Version.HTTP_2)
                    .connectTimeout(TlsFixtures.PATIENCE)
                    .build()) {
                for (int i = 0; i < 200 && (flooding.get() || i < 5); i++) {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/hello"))
                                    .timeout(TlsFixtures.PATIENCE)
                                    .build(),
                            BodyHandlers.ofString());
                    synchronized (statuses) {
                        statuses.add(response.statusCode());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String out;
        try {
            out = drive("rapid-reset", streams);
        } finally {
            flooding.set(false);
        }
        other.join();

        assertThat(out).containsPattern("GOAWAY \\d+ " + ErrorCode.ENHANCE_YOUR_CALM.code());
        Http2Statistics counted = server.httpServer().http2Statistics();
        assertThat(counted.resetsReceived("CANCEL"))
                .as("the flood's resets, counted")
                .isPositive();
        Await.until("the GOAWAY counted", () -> counted.goAwaysSent("ENHANCE_YOUR_CALM") == 1);
        synchronized (statuses) {
            assertThat(statuses).isNotEmpty().allMatch(status -> status == 200);
        }
        ReliabilityRecord.row(
                Boolean.getBoolean("httpsd.long") ? "http2-rapid-reset.long" : "http2-rapid-reset",
                List.of("flood (one TLS connection)", "meanwhile", "asserted"),
                "rapid-reset",
                List.of(
                        String.format(Locale.ROOT, "up to %,d streams, each opened and reset at once", streams),
                        "another client's HTTP/2 requests (at least 5, at most 200)",
                        "the flood's connection ended with GOAWAY ENHANCE_YOUR_CALM, counted once; its resets"
                                + " counted; every request of the other client answered 200"));
    }

    @Test
    void aContinuationFloodEndsWithGoAwayBeforeTheBlockGrowsUnbounded() throws Exception {
        String out = drive("continuation", 10_000);

        assertThat(out).containsPattern("GOAWAY 0 " + ErrorCode.ENHANCE_YOUR_CALM.code());
        assertThat(drive("ping", 0)).contains("BODY 1 ");
    }

    @Test
    void aHeaderListOverTheLimitIsAnswered431AndTheConnectionGoesOn() throws Exception {
        assertThat(drive("big-headers", 0)).contains("HEADERS 1 431", "HEADERS 3 200", "BODY 3 ");
    }

    @Test
    void aStreamBeyondMaxConcurrentStreamsIsRefused() throws Exception {
        assertThat(drive("refused", 101))
                .contains("RST_STREAM 201 " + ErrorCode.REFUSED_STREAM.code())
                .doesNotContain("GOAWAY");
    }

    @Test
    void aPingFloodEndsWithEnhanceYourCalm() throws Exception {
        assertThat(drive("ping-flood", 1_000)).containsPattern("GOAWAY 0 " + ErrorCode.ENHANCE_YOUR_CALM.code());
    }

    @Test
    void aStreamStalledByAZeroWindowIsResetAtTheSendTimeoutAndTheConnectionLives() throws Exception {
        assertThat(drive("stall", 0))
                .contains("HEADERS 1 200", "RST_STREAM 1 " + ErrorCode.CANCEL.code())
                .contains("HEADERS 3 200", "BODY 3 ")
                .doesNotContain("GOAWAY");
    }

    @Test
    void aGracefulStopSaysGoAwayWithNoError() throws Exception {
        try (SSLSocket socket = TlsFixtures.connect(
                TlsFixtures.clientContext(null), server.port(), p -> p.setApplicationProtocols(new String[] {"h2"}))) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(FrameReader.PREFACE);
            out.write(new byte[] {0, 0, 0, FrameType.SETTINGS, 0, 0, 0, 0, 0});
            out.flush();
            awaitFrame(in, FrameType.SETTINGS);
            // a PING answered: the connection is past its start and serving frames
            out.write(new byte[] {0, 0, 8, FrameType.PING, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
            out.flush();
            awaitFrame(in, FrameType.PING);

            CompletableFuture<Void> stopping =
                    CompletableFuture.runAsync(() -> server.stop(java.time.Duration.ofSeconds(5)));
            byte[] goAway = awaitFrame(in, FrameType.GOAWAY);
            stopping.join();

            assertThat(goAway).hasSizeGreaterThanOrEqualTo(8);
            assertThat(ByteBuffer.wrap(goAway).getInt(4)).isEqualTo(ErrorCode.NO_ERROR.code());
        }
    }

    @Test
    void aGracefulStopLetsTheStreamInFlightFinishAndRefusesTheStreamsOpenedAfterItsGoAway() throws Exception {
        CompletableFuture<String> client = driveAsync("drain");
        awaitSlowHandler();

        boolean clean = server.stop(Duration.ofSeconds(PythonH2.TIMEOUT_SECONDS));
        String out = client.get(PythonH2.TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(clean).as("every session ended within the grace period").isTrue();
        assertThat(out)
                .containsSubsequence(
                        "GOAWAY 1 " + ErrorCode.NO_ERROR.code(),
                        "RST_STREAM 3 " + ErrorCode.REFUSED_STREAM.code(),
                        "HEADERS 1 200",
                        "BODY 1 " + "drained".length(),
                        "EOF")
                .doesNotContain("HEADERS 3");
    }

    @Test
    void aStopWithoutGraceSaysGoAwayAndClosesAtOnceWithAStreamInFlight() throws Exception {
        CompletableFuture<String> client = driveAsync("abort");
        awaitSlowHandler();

        server.stop();
        String out = client.get(PythonH2.TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(out)
                .containsSubsequence("GOAWAY 1 " + ErrorCode.NO_ERROR.code(), "EOF")
                .doesNotContain("HEADERS 1");
    }

    /** Reads frames until one of {@code type}; returns its payload. */
    private static byte[] awaitFrame(DataInputStream in, int type) throws IOException {
        while (true) {
            byte[] header = new byte[9];
            in.readFully(header);
            int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
            byte[] payload = new byte[length];
            in.readFully(payload);
            if (header[3] == type) {
                return payload;
            }
        }
    }

    private static String hex(String ascii) {
        return java.util.HexFormat.of().formatHex(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
