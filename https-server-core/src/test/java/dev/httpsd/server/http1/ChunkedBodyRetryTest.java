package dev.httpsd.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.ByteSource;
import dev.httpsd.server.InputBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code recv} timing out inside a chunked body and retried, as ESP's examples retry {@code
 * httpd_req_recv} on {@code HTTPD_SOCK_ERR_TIMEOUT}: through a scripted source that times out at
 * an exact position, at every byte of the body (size lines, extensions, the CRLFs, chunk data, the
 * last chunk and the trailers), the retried reads deliver exactly the body, and the bytes after it
 * are the next request.
 */
class ChunkedBodyRetryTest {

    /** Two data chunks with extensions (one quoted), a one-byte chunk, the last chunk, trailers. */
    static final String BODY = "4;name=\"quoted \\\" value\"\r\nWiki\r\n"
            + "10 ; a = b\r\n0123456789abcdef\r\n"
            + "1\r\nZ\r\n"
            + "0;last\r\nTrailer-One: t1\r\nTrailer-Two: t2\r\n\r\n";

    static final String DECODED = "Wiki0123456789abcdefZ";

    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";

    /** Hands out bytes {@code readSize} at a time and times out once when it reaches {@code stall}. */
    private static final class StallingSource implements ByteSource {
        private final byte[] bytes;
        private final int readSize;
        private final int stall;
        private int position;
        private boolean stalled;

        StallingSource(byte[] bytes, int readSize, int stall) {
            this.bytes = bytes;
            this.readSize = readSize;
            this.stall = stall;
        }

        @Override
        public int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
            if (position == bytes.length) {
                return -1;
            }
            int end = Math.min(bytes.length, position + Math.min(length, readSize));
            if (!stalled && position <= stall && stall < end) {
                if (position == stall) {
                    stalled = true;
                    throw new SocketTimeoutException("scripted stall at byte " + stall);
                }
                end = stall; // deliver up to the stall, time out on the next read
            }
            System.arraycopy(bytes, position, buffer, offset, end - position);
            int n = end - position;
            position = end;
            return n;
        }
    }

    @ParameterizedTest(name = "reads of {0} bytes")
    @ValueSource(ints = {1, 3, 512})
    void aTimeoutAtAnyBytePositionOfTheFramingLosesNothingWhenTheReadIsRetried(int readSize) throws Exception {
        byte[] wire = (BODY + NEXT).getBytes(StandardCharsets.US_ASCII);
        for (int stall = 0; stall < BODY.length(); stall++) {
            InputBuffer in = new InputBuffer(new StallingSource(wire, readSize, stall), 64);
            RequestHeadParser parser = new RequestHeadParser(1024, 1024, 100, Long.MAX_VALUE);
            ChunkedBody body = new ChunkedBody(in, parser, 1024, Long.MAX_VALUE);

            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            byte[] buffer = new byte[5];
            int timeouts = 0;
            while (true) {
                int n;
                try {
                    n = body.read(buffer, 0, buffer.length);
                } catch (SocketTimeoutException e) {
                    timeouts++;
                    continue;
                }
                if (n < 0) {
                    break;
                }
                decoded.write(buffer, 0, n);
            }

            assertThat(decoded.toString(StandardCharsets.US_ASCII))
                    .as("body with a stall before byte %d", stall)
                    .isEqualTo(DECODED);
            assertThat(timeouts).as("one stall before byte %d", stall).isLessThanOrEqualTo(1);
            assertThat(parser.parse(in).path())
                    .as("what follows the body after a stall before byte %d", stall)
                    .isEqualTo("/next");
        }
    }
}
