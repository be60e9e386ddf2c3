package dev.httpsd.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A session's socket input as its receive functions read it: first, alone, the byte that the
 * session's lean idle wait read ahead of them ({@code Transport.awaitByte}), then the socket's own
 * reads. It also keeps what a transport layer reading it said about that wait ({@link
 * TransportSetup#idleRelease}).
 */
final class ReadAheadInput extends InputStream {

    private final InputStream socketIn;
    /** The byte read ahead, or -1. */
    private volatile int ahead = -1;
    /** The layer reading this input frees its buffers for a lean idle wait; or null. */
    private volatile BooleanSupplier layerRelease;

    ReadAheadInput(InputStream socketIn) {
        this.socketIn = socketIn;
    }

    void layerRelease(BooleanSupplier release) {
        this.layerRelease = Objects.requireNonNull(release, "release");
    }

    /**
     * Whether the layer under the session's receive function holds no input and gave back its
     * read buffers; false when it never said it would (its receive function may read anything).
     */
    boolean layerReleased() {
        BooleanSupplier release = layerRelease;
        return release != null && release.getAsBoolean();
    }

    /** Keeps a byte read from the socket: the next read returns it. */
    void readAhead(byte b) {
        ahead = b & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        int b = ahead;
        if (b >= 0 && length > 0) {
            ahead = -1;
            buffer[offset] = (byte) b;
            return 1;
        }
        return socketIn.read(buffer, offset, length);
    }

    @Override
    public int read() throws IOException {
        int b = ahead;
        if (b >= 0) {
            ahead = -1;
            return b;
        }
        return socketIn.read();
    }

    @Override
    public int available() throws IOException {
        return (ahead >= 0 ? 1 : 0) + socketIn.available();
    }

    @Override
    public void close() throws IOException {
        socketIn.close();
    }
}
