package dev.httpsd.server.http1;

import dev.httpsd.server.ByteSource;
import dev.httpsd.server.InputBuffer;

/**
 * Bytes for a {@link InputBuffer} in a test: at most {@code readSize} per read, then end of
 * stream. Counts what it hands out, so a test can tell how far a parser read.
 */
final class BytesSource implements ByteSource {

    private final byte[] bytes;
    private final int readSize;
    private int position;
    private boolean endSeen;

    BytesSource(byte[] bytes, int readSize) {
        this.bytes = bytes;
        this.readSize = readSize;
    }

    @Override
    public int read(byte[] buffer, int offset, int length, int timeoutMillis) {
        if (position == bytes.length) {
            endSeen = true;
            return -1;
        }
        int n = Math.min(Math.min(length, readSize), bytes.length - position);
        System.arraycopy(bytes, position, buffer, offset, n);
        position += n;
        return n;
    }

    /** Bytes handed out so far. */
    int pulled() {
        return position;
    }

    /** Whether a read was answered with end of stream. */
    boolean endSeen() {
        return endSeen;
    }
}
