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
 */
final class Http2Writer {

    private final ConnectionContext connection;
    private final Http2Statistics statistics;
    private final ReentrantLock writeLock;
    private final OutputBuffer out = new OutputBuffer(1024);
    private final OutputBuffer block = new OutputBuffer(512);
    private final HpackEncoder encoder = new HpackEncoder(HpackEncoder.DEFAULT_TABLE_SIZE, true);
    /** The peer's SETTINGS_MAX_FRAME_SIZE; guarded by the write lock. */
    private int peerMaxFrameSize = Http2Settings.MIN_MAX_FRAME_SIZE;

    Http2Writer(ConnectionContext connection) {
        this.statistics = connection.http2Statistics();
        this.connection = connection;
        this.writeLock = connection.writeLock();
    }

    /** Our SETTINGS, then the connection window's increment up to its target (0 for none). */
    void preface(Http2Settings ours, int connectionIncrement) throws IOException {
        writeLock.lock();
        try {
            out.reset();
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
            out.reset();
            FrameWriter.settingsAck(out);
            flush();
        } finally {
            writeLock.unlock();
        }
    }

    int peerMaxFrameSize() {
        writeLock.lock();
        try {
            return peerMaxFrameSize;
        } finally {
            writeLock.unlock();
        }
    }

    void pingAck(long payload) throws IOException {
        writeLock.lock();
        try {
            out.reset();
            FrameWriter.ping(out, payload, true);
            flush();
        } finally {
            writeLock.unlock();
        }
    }

    void windowUpdate(int streamId, int increment) throws IOException {
        writeLock.lock();
        try {
            out.reset();
            FrameWriter.windowUpdate(out, streamId, increment);
            flush();
        } finally {
            writeLock.unlock();
        }
    }

    void rstStream(int streamId, ErrorCode code) throws IOException {
        writeLock.lock();
        try {
            out.reset();
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
            out.reset();
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
        writeLock.lock();
        try {
            block.reset();
            encoder.beginBlock(block);
            encoder.encode(block, ":status", Integer.toString(status));
            for (HeaderField field : fields) {
                encoder.encode(block, field.name(), field.value());
            }
            out.reset();
            FrameWriter.headers(out, streamId, block.array(), 0, block.length(), endStream, peerMaxFrameSize);
            flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** One DATA frame; its length fits the peer's frame size and the windows already consumed. */
    void data(int streamId, byte[] data, int offset, int length, boolean endStream) throws IOException {
        writeLock.lock();
        try {
            out.reset();
            FrameWriter.dataHeader(out, streamId, length, endStream);
            if (length <= 1024) {
                out.write(data, offset, length);
                flush();
            } else {
                flush();
                connection.send(data, offset, length);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void flush() throws IOException {
        connection.send(out.array(), 0, out.length());
        out.reset();
    }
}
