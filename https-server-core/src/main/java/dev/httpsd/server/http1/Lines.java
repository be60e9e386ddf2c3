package dev.httpsd.server.http1;

import dev.httpsd.server.HttpError;
import dev.httpsd.server.InputBuffer;
import java.io.EOFException;
import java.io.IOException;

/** Finds the end of a line of a request head or trailer section, reading as needed. */
final class Lines {

    /** What {@link #findEnd} returns for a line longer than its cap. */
    static final int TOO_LONG = -1;

    private Lines() {}

    /**
     * Finds the CR of the next CRLF from the position, reading more as needed. Every line ends in
     * CRLF: a bare LF or a bare CR is a 400 (RFC 9112 §2.2, strict).
     *
     * @return the index of the CR, or {@link #TOO_LONG} when no CRLF came within {@code cap} bytes
     * @throws EOFException when the stream ends first
     */
    static int findEnd(InputBuffer in, int cap) throws IOException {
        int scanned = 0;
        while (true) {
            byte[] b = in.buffer();
            int start = in.position();
            int end = in.limit();
            for (int i = start + scanned; i < end; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (i == start || b[i - 1] != '\r') {
                        throw new HttpParseException(HttpError.BAD_REQUEST_400, "bare LF in request head");
                    }
                    return i - 1;
                }
                if (c == '\r' && i + 1 < end && b[i + 1] != '\n') {
                    throw new HttpParseException(HttpError.BAD_REQUEST_400, "bare CR in request head");
                }
            }
            scanned = Math.max(0, end - start - 1);
            if (end - start > cap + 1) {
                return TOO_LONG;
            }
            int n = in.fill(cap + 2);
            if (n < 0) {
                throw new EOFException("connection closed in the middle of a request head");
            }
            if (n == 0) {
                return TOO_LONG;
            }
        }
    }

    static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
