package dev.httpsd.server.proxy;

import java.net.SocketTimeoutException;

/**
 * Bytes for a {@link ProxyHeaderReader} in a test: at most {@code readSize} per read, then end of
 * stream, or a timeout when {@link #timeOutAtEnd()} asks for one. Counts what it hands out, so a
 * test can tell how far the reader read.
 */
final class ScriptedSource implements ProxySource {

    private final byte[] bytes;
    private final int readSize;
    private boolean timeOutAtEnd;
    private int position;
    private boolean endSeen;

    ScriptedSource(byte[] bytes, int readSize) {
        this.bytes = bytes;
        this.readSize = readSize;
    }

    ScriptedSource(byte[] bytes) {
        this(bytes, Integer.MAX_VALUE);
    }

    /** Once the bytes are used up, reads time out instead of seeing the end of the stream. */
    ScriptedSource timeOutAtEnd() {
        timeOutAtEnd = true;
        return this;
    }

    @Override
    public int read(byte[] buffer, int offset, int length, long deadlineNanos) throws SocketTimeoutException {
        if (position == bytes.length) {
            if (timeOutAtEnd) {
                throw new SocketTimeoutException("test deadline");
            }
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

    boolean endSeen() {
        return endSeen;
    }
}
