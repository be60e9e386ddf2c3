package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.WebSocketTest.Listener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ESP's two ways of reading a frame, with the JDK client sending: the two-step read ({@code
 * httpd_ws_recv_frame} with {@code max_len} 0 for the header, then with a buffer) and partial
 * reads ({@code httpd_ws_recv_frame_part}), at every length encoding boundary. Each handler
 * answers with a line describing what it read, so the client checks it against what it sent.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(WsTransport.class)
class WebSocketFrameReadTest {

    /** The {@code websocket} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("websocket");

    static final int[] SIZES = {0, 1, 125, 126, 65535, 65536, 1024 * 1024};

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final WsTransport transport;

    WebSocketFrameReadTest(WsTransport transport) {
        this.transport = transport;
    }

    /** Header first, then the whole payload into a buffer of exactly its length. */
    static final RequestHandler TWO_STEP = (request, response) -> {
        if (request.method() != null) {
            return;
        }
        WebSocket ws = WebSocket.of(request).orElseThrow();
        WsFrameInfo header = ws.frameInfo();
        String tooSmall = "-";
        if (header.length() > 0) {
            try {
                ws.recvFrame((int) header.length() - 1);
                tooSmall = "accepted";
            } catch (IllegalArgumentException e) {
                tooSmall = "refused, " + ws.frameInfo().remaining() + " left";
            }
        }
        WsFrame frame = ws.recvFrame((int) header.length());
        ws.sendFrame(WsFrame.text(header.type() + " fin=" + header.finalFragment() + " length=" + header.length()
                + " remaining=" + header.remaining() + " too-small=" + tooSmall + " read=" + frame.payload().length
                + " after=" + ws.frameInfo().remaining() + " sha256=" + sha256(frame.payload())));
    };

    /**
     * The payload in reads of at most {@code ?chunk=} bytes into the middle of a guarded buffer,
     * checking after each read that {@code remaining} went down by what was read.
     */
    static final RequestHandler PARTS = (request, response) -> {
        if (request.method() != null) {
            return;
        }
        WebSocket ws = WebSocket.of(request).orElseThrow();
        int chunk = Integer.parseInt(request.queryValue("chunk").orElseThrow());
        long length = ws.frameInfo().length();
        byte[] buffer = new byte[chunk + 6];
        MessageDigest digest = sha256();
        long read = 0;
        int reads = 0;
        boolean remainingTracked = true;
        boolean guardsIntact = true;
        while (true) {
            java.util.Arrays.fill(buffer, (byte) 0x5A);
            int n = ws.recvPayload(buffer, 3, chunk);
            if (n == 0) {
                break;
            }
            reads++;
            read += n;
            digest.update(buffer, 3, n);
            remainingTracked &= ws.frameInfo().remaining() == length - read;
            for (int i = 0; i < buffer.length; i++) {
                guardsIntact &= (i >= 3 && i < 3 + n) || buffer[i] == 0x5A;
            }
        }
        boolean enoughReads = reads >= (length + chunk - 1) / chunk;
        ws.sendFrame(WsFrame.text("length=" + length + " read=" + read + " enough-reads=" + enoughReads
                + " remaining-tracked=" + remainingTracked + " guards-intact=" + guardsIntact
                + " sha256=" + HexFormat.of().formatHex(digest.digest())));
    };

    /** Reads at most the first 10 bytes and leaves the rest to the server to discard. */
    static final RequestHandler FIRST_BYTES = (request, response) -> {
        if (request.method() != null) {
            return;
        }
        WebSocket ws = WebSocket.of(request).orElseThrow();
        byte[] first = new byte[10];
        int n = 0;
        for (int r; n < first.length && (r = ws.recvPayload(first, n, first.length - n)) > 0; ) {
            n += r;
        }
        ws.sendFrame(WsFrame.binary(java.util.Arrays.copyOf(first, n)));
    };

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static byte[] payload(int size) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        return payload;
    }

    private HttpServer server() throws Exception {
        HttpServer server = transport.start(fixture);
        server.registerUriHandler(UriHandler.webSocket("/two-step", TWO_STEP, null));
        server.registerUriHandler(UriHandler.webSocket("/parts", PARTS, null));
        server.registerUriHandler(UriHandler.webSocket("/first-bytes", FIRST_BYTES, null));
        return server;
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("sizes")
    void theTwoStepReadGivesTheHeaderThenTheWholePayload(int size) throws Exception {
        HttpServer server = server();
        Listener listener = new Listener();
        var ws = transport.connect(fixture, server, "/two-step", listener);
        byte[] payload = payload(size);
        ws.sendBinary(ByteBuffer.wrap(payload), true).get(20, TimeUnit.SECONDS);
        assertThat(listener.next())
                .isEqualTo("BINARY fin=true length=" + size + " remaining=" + size + " too-small="
                        + (size == 0 ? "-" : "refused, " + size + " left") + " read=" + size + " after=0 sha256="
                        + sha256(payload));
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    static Stream<Arguments> sizesAndChunks() {
        return java.util.Arrays.stream(SIZES)
                .boxed()
                .flatMap(size -> Stream.of(1, 7, 4096).map(chunk -> Arguments.of(size, chunk)));
    }

    static java.util.stream.IntStream sizes() {
        return java.util.Arrays.stream(SIZES);
    }

    @ParameterizedTest(name = "{0} bytes in reads of {1}")
    @MethodSource("sizesAndChunks")
    void partialReadsDeliverThePayloadPieceByPiece(int size, int chunk) throws Exception {
        HttpServer server = server();
        Listener listener = new Listener();
        var ws = transport.connect(fixture, server, "/parts?chunk=" + chunk, listener);
        byte[] payload = payload(size);
        ws.sendBinary(ByteBuffer.wrap(payload), true).get(20, TimeUnit.SECONDS);
        assertThat(listener.next())
                .isEqualTo("length=" + size + " read=" + size
                        + " enough-reads=true remaining-tracked=true guards-intact=true sha256=" + sha256(payload));
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "reads of {0}")
    @ValueSource(ints = {1, 3, 4096})
    void textReadInPartsSplittingUtf8SequencesIsAccepted(int chunk) throws Exception {
        HttpServer server = transport.start(fixture);
        var message = new java.io.ByteArrayOutputStream();
        List<Long> frameLengths = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.registerUriHandler(UriHandler.webSocket(
                "/text",
                (request, response) -> {
                    if (request.method() != null) {
                        return;
                    }
                    // the JDK client sends long texts as several frames: collect them all
                    WebSocket ws = WebSocket.of(request).orElseThrow();
                    WsFrameInfo header = ws.frameInfo();
                    frameLengths.add(header.length());
                    byte[] buffer = new byte[chunk];
                    for (int n; (n = ws.recvPayload(buffer, 0, chunk)) > 0; ) {
                        message.write(buffer, 0, n);
                    }
                    if (header.finalFragment()) {
                        ws.sendFrame(WsFrame.text(message.toString(StandardCharsets.UTF_8)));
                    }
                },
                null));
        Listener listener = new Listener();
        var ws = transport.connect(fixture, server, "/text", listener);
        String text = WebSocketTest.utf8Text(65536, 42);
        ws.sendText(text, true).get(20, TimeUnit.SECONDS);
        assertThat(WebSocketTest.digest(listener.next())).isEqualTo(WebSocketTest.digest(text));
        assertThat(frameLengths.stream().mapToLong(Long::longValue).sum()).isEqualTo(65536);
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
        assertThat(listener.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void payloadLeftUnreadIsDiscardedAndTheNextFrameIsReadFromItsHeader() throws Exception {
        HttpServer server = server();
        Listener listener = new Listener();
        var ws = transport.connect(fixture, server, "/first-bytes", listener);
        List<byte[]> sent = List.of(payload(1024 * 1024), payload(0), payload(5), payload(70_000));
        for (byte[] payload : sent) {
            ws.sendBinary(ByteBuffer.wrap(payload), true).get(20, TimeUnit.SECONDS);
        }
        for (byte[] payload : sent) {
            assertThat((byte[]) listener.next())
                    .isEqualTo(java.util.Arrays.copyOf(payload, Math.min(10, payload.length)));
        }
        ws.sendPing(ByteBuffer.wrap(new byte[] {7})).get(10, TimeUnit.SECONDS);
        assertThat(listener.next()).isEqualTo("pong:\u0007");
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
        assertThat(listener.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void theFrameApiRefusesCallsOutsideAFrameCall() throws Exception {
        HttpServer server = transport.start(fixture);
        CompletableFuture<String> duringHandshakeCall = new CompletableFuture<>();
        CompletableFuture<WebSocket> webSocket = new CompletableFuture<>();
        server.registerUriHandler(UriHandler.webSocket(
                "/ws",
                (request, response) -> {
                    WebSocket ws = WebSocket.of(request).orElseThrow();
                    if (request.method() == HttpMethod.GET) {
                        duringHandshakeCall.complete(refusal(() -> ws.frameInfo()) + ", "
                                + refusal(() -> ws.recvPayload(new byte[1], 0, 1)) + ", "
                                + refusal(() -> ws.recvFrame(1)));
                        webSocket.complete(ws);
                        return;
                    }
                    WebSocketTest.ECHO.handle(request, response);
                },
                null));
        Listener listener = new Listener();
        var client = transport.connect(fixture, server, "/ws", listener);
        assertThat(duringHandshakeCall.get(20, TimeUnit.SECONDS))
                .isEqualTo("IllegalStateException, IllegalStateException, IllegalStateException");
        client.sendText("one frame", true).get(10, TimeUnit.SECONDS);
        assertThat(listener.next()).isEqualTo("one frame");
        // the frame call is over: another thread must not see (or read) that frame any more
        WebSocket ws = webSocket.get(20, TimeUnit.SECONDS);
        ServerFixture.awaitIdle(server, ws.session().id());
        assertThat(refusal(ws::frameInfo) + ", " + refusal(() -> ws.recvPayload(new byte[1], 0, 1)))
                .isEqualTo("IllegalStateException, IllegalStateException");
        client.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    interface Call {
        Object call() throws Exception;
    }

    /** The simple name of what {@code call} throws, or "returned ..." when it does not. */
    static String refusal(Call call) {
        try {
            return "returned " + call.call();
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }
}
