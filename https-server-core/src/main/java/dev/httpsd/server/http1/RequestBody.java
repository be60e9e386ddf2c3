package dev.httpsd.server.http1;

import dev.httpsd.server.InputBuffer;
import java.io.EOFException;
import java.io.IOException;

/** The framing of one request body; reads return -1 at its end. */
public abstract sealed class RequestBody permits RequestBody.Empty, RequestBody.FixedLength, ChunkedBody {

    /** Told the length of every drained read, as ESP's purge posts ON_DATA. */
    interface DrainCounter {
        void drained(int length);
    }

    abstract int read(byte[] buffer, int offset, int length) throws IOException;

    /** Whether the body has been read to its end. */
    abstract boolean complete();

    /**
     * Reads and discards the rest of the body, at most {@code limit} bytes.
     *
     * @return true when the body ended within the limit, so the connection can be reused
     */
    boolean drain(long limit, byte[] scratch, DrainCounter counter) throws IOException {
        long discarded = 0;
        while (!complete()) {
            int n = read(scratch, 0, (int) Math.min(scratch.length, Math.max(1, limit - discarded + 1)));
            if (n < 0) {
                return complete();
            }
            counter.drained(n);
            discarded += n;
            if (discarded > limit) {
                return false;
            }
        }
        return true;
    }

    /** No body. */
    public static final class Empty extends RequestBody {
        public static final Empty INSTANCE = new Empty();

        @Override
        int read(byte[] buffer, int offset, int length) {
            return -1;
        }

        @Override
        boolean complete() {
            return true;
        }
    }

    /** A body framed by Content-Length. */
    public static final class FixedLength extends RequestBody {
        private final InputBuffer in;
        private long remaining;

        FixedLength(InputBuffer in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("connection closed with " + remaining + " body bytes outstanding");
            }
            remaining -= n;
            return n;
        }

        @Override
        boolean complete() {
            return remaining == 0;
        }
    }
}
