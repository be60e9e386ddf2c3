package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every write call to a session is atomic on the wire: raw {@code HttpSession.send} calls from
 * queued work ({@code httpd_socket_send} from {@code httpd_queue_work}) race a large response on
 * the same session, and neither is ever split by the other's bytes. The sends go out in 4 KiB
 * pieces (a 2 s send timeout), so without a per-session lock they interleave piece by piece.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(WsTransport.class)
class SessionWriteAtomicityTest {

    private static final int BODY_LENGTH = 1024 * 1024;
    private static final int RAW_SENDS = 16;
    private static final int RAW_LENGTH = 32 * 1024;
    private static final int ROUNDS = 3;

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final WsTransport transport;

    SessionWriteAtomicityTest(WsTransport transport) {
        this.transport = transport;
    }

    /** Lower-case letters only: a raw block's {@code [} or {@code R} inside it shows a split. */
    private static byte[] body() {
        byte[] body = new byte[BODY_LENGTH];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return body;
    }

    /** {@code [RAW:nn]} then {@code R} up to {@link #RAW_LENGTH}. */
    private static byte[] rawBlock(int number) {
        byte[] block = new byte[RAW_LENGTH];
        Arrays.fill(block, (byte) 'R');
        byte[] label = String.format("[RAW:%02d]", number).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, block, 0, label.length);
        return block;
    }

    @Test
    void rawSendsFromQueuedWorkNeverSplitALargeResponseNorAreSplitByIt() throws Exception {
        HttpServer server = transport.start(fixture, b -> b.sendWaitTimeout(Duration.ofSeconds(2)));
        byte[] body = body();
        server.registerUriHandler(UriHandler.of("/big", HttpMethod.GET, (req, resp) -> {
            int id = req.session().id();
            CountDownLatch started = new CountDownLatch(1);
            server.queueWork(() -> {
                started.countDown();
                try {
                    for (int i = 0; i < RAW_SENDS; i++) {
                        byte[] block = rawBlock(i);
                        server.session(id).orElseThrow().send(block, 0, block.length);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (!started.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("queued work did not start");
            }
            resp.contentType("application/octet-stream").send(body);
        }));
        RawClient client = transport.raw(fixture, server);

        for (int round = 0; round < ROUNDS; round++) {
            client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
            readRound(client.socket().getInputStream(), body);
        }
    }

    /** Reads one response and {@link #RAW_SENDS} raw blocks in any order, each of them whole. */
    private static void readRound(InputStream in, byte[] expectedBody) throws IOException {
        boolean responseSeen = false;
        boolean[] blocksSeen = new boolean[RAW_SENDS];
        int blocks = 0;
        long offset = 0;
        while (!responseSeen || blocks < RAW_SENDS) {
            int first = in.read();
            if (first < 0) {
                fail("connection closed after " + offset + " bytes");
            }
            if (first == 'H' && !responseSeen) {
                String head = "H" + readHead(in);
                assertThat(head).as("a whole response head at byte %d", offset).startsWith("HTTP/1.1 200 OK\r\n");
                assertThat(head).contains("\r\nContent-Length: " + BODY_LENGTH + "\r\n");
                byte[] received = in.readNBytes(BODY_LENGTH);
                int mismatch = Arrays.mismatch(received, expectedBody);
                if (mismatch >= 0) {
                    fail("response body split at its byte " + mismatch + ": '"
                            + new String(
                                    received,
                                    mismatch,
                                    Math.min(16, received.length - mismatch),
                                    StandardCharsets.US_ASCII)
                            + "'");
                }
                offset += head.length() + BODY_LENGTH;
                responseSeen = true;
            } else if (first == '[') {
                byte[] rest = in.readNBytes(RAW_LENGTH - 1);
                String label = "[" + new String(rest, 0, 7, StandardCharsets.US_ASCII);
                assertThat(label).as("a raw block's label at byte %d", offset).matches("\\[RAW:\\d\\d]");
                int number = Integer.parseInt(label.substring(5, 7));
                for (int i = 7; i < rest.length; i++) {
                    if (rest[i] != 'R') {
                        fail("raw block " + number + " split at its byte " + (i + 1));
                    }
                }
                assertThat(blocksSeen[number])
                        .as("raw block %d seen once", number)
                        .isFalse();
                blocksSeen[number] = true;
                blocks++;
                offset += RAW_LENGTH;
            } else {
                fail("byte " + offset + " starts neither a response nor a raw block: '" + (char) first + "'");
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                fail("connection closed inside a response head");
            }
            head.write(c);
            byte[] b = head.toByteArray();
            int n = b.length;
            if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (n > 4096) {
                fail("response head longer than 4 KiB: a raw block inside it?");
            }
        }
    }
}
