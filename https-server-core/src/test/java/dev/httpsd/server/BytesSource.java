package dev.httpsd.server;

/**
 * Bytes for a {@link InputBuffer} in a test: at most {@code readSize} per read, then end of
 * stream. Counts what it hands out, so a test can tell how far a parser or frame reader read.
 */
public final class BytesSource implements ByteSource {

    private final byte[] bytes;
    private final int readSize;
    private int position;
    private boolean endSeen;

    public BytesSource(byte[] bytes, int readSize) {
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
    public int pulled() {
        return position;
    }

    /** Whether a read was answered with end of stream. */
    public boolean endSeen() {
        return endSeen;
    }
}
