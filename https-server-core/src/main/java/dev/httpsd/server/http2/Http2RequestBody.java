package dev.httpsd.server.http2;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A stream's request body between the reader and the handler: the DATA octets the reader hands
 * over wait here, bounded by the stream's receive window, and the stream's credit goes back to the
 * client as the handler reads them. Once the handler is done, whatever still arrives is dropped and
 * its credit returned at once. Its state is guarded by the connection's lock.
 */
final class Http2RequestBody {

    private final Http2Stream stream;
    private final Http2Protocol protocol;

    // guarded by protocol.lock
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int chunkOffset;
    private boolean ended;
    private boolean discarding;

    Http2RequestBody(Http2Stream stream) {
        this.stream = stream;
        this.protocol = stream.connectionProtocol();
    }

    // ---- from the reader, under the lock ---------------------------------------------------------

    /** The client sent the stream's last frame (END_STREAM on HEADERS, DATA or trailers). */
    void end() {
        ended = true;
    }

    /**
     * Request body octets for the handler; returns the stream credit to give back now (padding,
     * and everything once the handler is done or the stream reset: nobody reads).
     */
    int received(byte[] data, int offset, int length, int padding, boolean endStream, boolean streamReset) {
        int release = padding;
        if (discarding || streamReset) {
            release += length;
        } else if (length > 0) {
            byte[] copy = new byte[length];
            System.arraycopy(data, offset, copy, 0, length);
            chunks.add(copy);
        }
        if (endStream) {
            ended = true;
        }
        return release > 0 ? stream.lifecycle().receiveWindow().release(release) : 0;
    }

    // ---- from the stream's thread ---------------------------------------------------------------

    /** The handler is done: what is buffered is dropped, and so is what still arrives; under the lock. */
    void discard() {
        discarding = true;
        chunks.clear();
    }

    /**
     * Copies up to {@code length} buffered octets, waiting up to {@code timeoutMillis} for some;
     * 0 at the end of the body. The stream credit the read frees goes back in a WINDOW_UPDATE
     * unless the body has ended. Not holding the lock.
     *
     * @throws SocketTimeoutException when nothing arrived within the timeout
     * @throws IOException when the stream was reset before its body ended
     */
    int read(byte[] buffer, int offset, int length, long timeoutMillis) throws IOException {
        int n;
        int increment;
        protocol.lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (chunks.isEmpty() && !ended && !stream.isReset()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException(
                            "request body of stream " + stream.id() + " stalled past the receive timeout");
                }
                protocol.changed.awaitNanos(left);
            }
            if (chunks.isEmpty()) {
                if (stream.isReset() && !ended) {
                    throw new IOException(stream.resetReason());
                }
                return 0;
            }
            byte[] chunk = chunks.peek();
            n = Math.min(length, chunk.length - chunkOffset);
            System.arraycopy(chunk, chunkOffset, buffer, offset, n);
            chunkOffset += n;
            if (chunkOffset == chunk.length) {
                chunks.poll();
                chunkOffset = 0;
            }
            increment = ended || stream.isReset()
                    ? 0
                    : stream.lifecycle().receiveWindow().release(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the request body of stream " + stream.id());
        } finally {
            protocol.lock.unlock();
        }
        if (increment > 0) {
            protocol.writer.windowUpdate(stream.id(), increment);
        }
        return n;
    }
}
