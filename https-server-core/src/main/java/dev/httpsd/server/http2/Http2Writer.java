package dev.httpsd.server.http2;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.Http2Statistics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a connection's frames. Every frame is built and sent under the session's write
 * lock, so frames never interleave and the HPACK encoder's dynamic table changes in the order its
 * blocks reach the client (RFC 7541 §2.2). Stream threads, the reader and a stop write through it.
 *
 * <p>Frames are appended to one pending buffer and sent in order. What the reader and a stop write
 * goes out at once, with whatever is pending before it. A response's frames written on a virtual
 * thread are batched: the first writer to find nothing pending claims the flush, yields so that
 * the other ready streams of the connection append theirs, then sends them all in one TLS write.
 * A profile of h2load -c50 -m10 showed a TLS record and a write system call per frame as the
 * largest cost of small responses; a batch shares them. Nothing waits on a batch for longer than
 * one yield of a runnable thread, and pending frames are sent before a larger payload, a frame of
 * the reader's, or the end of the connection ({@link #flushPending}).
 */
final class Http2Writer {

    private final ConnectionContext connection;
    private final Http2Statistics statistics;
    private final ReentrantLock writeLock;
    /** Above this many pending bytes a writer sends at once rather than wait for the batch. */
    static final int BATCH_LIMIT = 16 * 1024;
    /** DATA payloads up to this size are copied into the pending frames, larger ones sent from the caller's array. */
    private static final int COPY_LIMIT = 1024;

    /** Frames appended and not yet sent; guarded by the write lock. */
    private final OutputBuffer out = new OutputBuffer(2048);

    private final OutputBuffer block = new OutputBuffer(512);
    private final HpackEncoder encoder = new HpackEncoder(HpackEncoder.DEFAULT_TABLE_SIZE, true);
    /** The peer's SETTINGS_MAX_FRAME_SIZE; written under the write lock. */
    private volatile int peerMaxFrameSize = Http2Settings.MIN_MAX_FRAME_SIZE;
    /** Whether a thread has claimed sending the pending frames (it yields first); under the write lock. */
    private boolean flushClaimed;

    Http2Writer(ConnectionContext connection) {
        this.statistics = connection.http2Statistics();
        this.connection = connection;
        this.writeLock = connection.writeLock();
    }

    /** Our SETTINGS, then the connection window's increment up to its target (0 for none). */
    void preface(Http2Settings ours, int connectionIncrement) throws IOException {
        writeLock.lock();
        try {
            FrameWriter.settings(out, ours);
            if (connectionIncrement > 0) {
                FrameWriter.windowUpdate(out, 0, connectionIncrement);
            }
            flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Applies the peer's new SETTINGS to what we write, then acknowledges them (§6.5.3). */
    void peerSettings(Http2Settings peer) throws IOException {
        writeLock.lock();
        try {
            encoder.setPeerMaxTableSize(peer.headerTableSize());
            peerMaxFrameSize = peer.maxFrameSize();
            FrameWriter.settingsAck(out);
            flush();
        } finally {
            writeLock.unlock();
        }
    }

    int peerMaxFrameSize() {
        return peerMaxFrameSize;
    }

    void pingAck(long payload) throws IOException {
        writeLock.lock();
        try {
            FrameWriter.ping(out, payload, true);
            flush();
        } finally {
            writeLock.unlock();
        }
    }

    void windowUpdate(int streamId, int increment) throws IOException {
        writeLock.lock();
        try {
            FrameWriter.windowUpdate(out, streamId, increment);
            flush();
        } finally {
            writeLock.unlock();
        }
    }

    void rstStream(int streamId, ErrorCode code) throws IOException {
        writeLock.lock();
        try {
            FrameWriter.rstStream(out, streamId, code);
            flush();
        } finally {
            writeLock.unlock();
        }
        statistics.countResetSent(code.code());
    }

    void goAway(int lastStreamId, ErrorCode code, String debug) throws IOException {
        writeLock.lock();
        try {
            byte[] data = debug == null ? null : debug.getBytes(StandardCharsets.UTF_8);
            FrameWriter.goAway(out, lastStreamId, code, data);
            flush();
        } finally {
            writeLock.unlock();
        }
        statistics.countGoAwaySent(code.code());
    }

    /**
     * A response's HEADERS (and CONTINUATIONs) with {@code :status} first, the names in lowercase
     * (§8.2.2). Encoded under the write lock: the encoder's table follows the write order.
     */
    void headers(int streamId, int status, List<HeaderField> fields, boolean endStream) throws IOException {
        boolean claimed;
        writeLock.lock();
        try {
            appendHeaders(streamId, status, fields, endStream);
            claimed = claimOrFlush();
        } finally {
            writeLock.unlock();
        }
        if (claimed) {
            flushClaimed();
        }
    }

    /**
     * A whole small response: HEADERS and the one DATA frame that ends the stream, in one batch.
     * Its length fits the peer's frame size and the windows already consumed.
     */
    void headersAndData(int streamId, int status, List<HeaderField> fields, byte[] data, int offset, int length)
            throws IOException {
        boolean claimed;
        writeLock.lock();
        try {
            appendHeaders(streamId, status, fields, false);
            FrameWriter.data(out, streamId, data, offset, length, true);
            claimed = claimOrFlush();
        } finally {
            writeLock.unlock();
        }
        if (claimed) {
            flushClaimed();
        }
    }

    /** One DATA frame; its length fits the peer's frame size and the windows already consumed. */
    void data(int streamId, byte[] data, int offset, int length, boolean endStream) throws IOException {
        boolean claimed = false;
        writeLock.lock();
        try {
            FrameWriter.dataHeader(out, streamId, length, endStream);
            if (length <= COPY_LIMIT) {
                out.write(data, offset, length);
                claimed = claimOrFlush();
            } else {
                flush();
                connection.send(data, offset, length);
            }
        } finally {
            writeLock.unlock();
        }
        if (claimed) {
            flushClaimed();
        }
    }

    /** Sends what is pending now: before the connection ends, nothing is left behind. */
    void flushPending() throws IOException {
        writeLock.lock();
        try {
            flush();
        } finally {
            writeLock.unlock();
        }
    }

    private void appendHeaders(int streamId, int status, List<HeaderField> fields, boolean endStream) {
        block.reset();
        encoder.beginBlock(block);
        encoder.encode(block, ":status", Integer.toString(status));
        for (HeaderField field : fields) {
            encoder.encode(block, field.name(), field.value());
        }
        FrameWriter.headers(out, streamId, block.array(), 0, block.length(), endStream, peerMaxFrameSize);
    }

    /**
     * Under the write lock, after appending: sends now when the batch is large or the caller is not
     * a virtual thread; otherwise leaves the frames to the thread that claimed the flush, or
     * claims it (true: the caller must call {@link #flushClaimed} after unlocking).
     */
    private boolean claimOrFlush() throws IOException {
        if (out.length() >= BATCH_LIMIT || !Thread.currentThread().isVirtual()) {
            flush();
            return false;
        }
        if (flushClaimed) {
            return false;
        }
        flushClaimed = true;
        return true;
    }

    /** The claimed flush: the connection's other ready streams append first, then all goes out. */
    private void flushClaimed() throws IOException {
        Thread.yield();
        writeLock.lock();
        try {
            flushClaimed = false;
            flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends every pending frame, under the write lock; nothing when none is pending. */
    private void flush() throws IOException {
        if (out.length() == 0) {
            return;
        }
        try {
            connection.send(out.array(), 0, out.length());
        } finally {
            out.reset();
        }
    }
}
