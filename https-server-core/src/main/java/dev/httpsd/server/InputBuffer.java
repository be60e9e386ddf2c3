package dev.httpsd.server;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The session's read buffer over its receive function. Parsers work on {@link #buffer()} between
 * {@link #position()} and {@link #limit()}; the buffer grows only as far as a caller allows.
 *
 * <p>Timeouts come in two kinds. {@link #timeout} bounds each read with a socket timeout that a
 * caller may retry after (a handler reading a body). {@link #guard} gives reads an overall
 * deadline and a progress bound without any per-read timer: the session's watchdog ends a read
 * that passes them, and the session then closes (waiting for a request, reading its head). Timers
 * per read are costly on virtual threads; the guard needs none. A retryable guard bounds the same
 * way with a socket timeout per read instead, so that a timed-out read can be retried (a custom
 * 408 handler that keeps waiting for the head).
 */
public final class InputBuffer {

    /** The head did not arrive before its deadline. */
    public static final class DeadlineExceededException extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        DeadlineExceededException() {
            super("request head not received within the header-read timeout");
        }
    }

    private static final byte[] NONE = new byte[0];

    private final ByteSource source;
    /** What the buffer starts with, and takes again after {@link #release}. */
    private final int initialCapacity;

    private byte[] buf;
    private int pos;
    private int limit;
    private int mark = -1;
    private int timeoutMillis;
    private long deadlineNanos;
    private long progressNanos;
    private boolean retryable;

    public InputBuffer(ByteSource source, int capacity) {
        this.source = source;
        this.initialCapacity = capacity;
        this.buf = new byte[capacity];
    }

    public byte[] buffer() {
        return buf;
    }

    public int position() {
        return pos;
    }

    public int limit() {
        return limit;
    }

    public int buffered() {
        return limit - pos;
    }

    public void skip(int count) {
        pos += count;
    }

    /** Reads wait at most this long each (a socket timeout); no overall deadline. */
    public void timeout(int millis) {
        this.timeoutMillis = millis;
        this.deadlineNanos = 0;
    }

    /** Reads end at {@code deadlineNanos} overall and wait at most {@code progressMillis} each. */
    public void guard(long deadlineNanos, int progressMillis) {
        guard(deadlineNanos, progressMillis, false);
    }

    /**
     * Like {@link #guard(long, int)}; with {@code retryable} each read waits under a socket timeout
     * instead of the watchdog, so a read that times out leaves the connection readable.
     */
    public void guard(long deadlineNanos, int progressMillis, boolean retryable) {
        this.deadlineNanos = deadlineNanos == 0 ? 1 : deadlineNanos; // 0 means "no guard"
        this.progressNanos = TimeUnit.MILLISECONDS.toNanos(progressMillis);
        this.retryable = retryable;
    }

    /**
     * Reads more bytes after {@link #limit()}, compacting and growing the buffer up to {@code
     * maxCapacity} when it is full.
     *
     * @return bytes read, or -1 at end of stream; 0 only when the buffer is full at maxCapacity
     */
    public int fill(int maxCapacity) throws IOException {
        if (buf == NONE) {
            buf = new byte[initialCapacity];
        }
        if (limit == buf.length) {
            // marked bytes are kept and come on top of what the caller allows from the position
            int keepFrom = mark >= 0 ? mark : pos;
            int needed = maxCapacity + (pos - keepFrom);
            if (keepFrom > 0) {
                System.arraycopy(buf, keepFrom, buf, 0, limit - keepFrom);
                limit -= keepFrom;
                pos -= keepFrom;
                if (mark >= 0) {
                    mark = 0;
                }
            } else if (buf.length < needed) {
                byte[] bigger = new byte[Math.min(needed, Math.max(buf.length * 2, 1024))];
                System.arraycopy(buf, 0, bigger, 0, limit);
                buf = bigger;
            } else {
                return 0;
            }
        }
        int n = pull(buf, limit, buf.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    /**
     * With nothing buffered, drops a buffer that grew beyond {@code capacity}: an idle session
     * waiting through its receive function holds only a small one ({@link #release}: none at all).
     */
    public void shrink(int capacity) {
        if (pos == limit && buf.length > capacity) {
            buf = new byte[capacity];
            pos = 0;
            limit = 0;
        }
    }

    /**
     * With nothing buffered or marked, holds no array at all until the next read: a session
     * waiting idle on its socket ({@code Transport.awaitByte}) needs none.
     */
    public void release() {
        if (pos == limit && mark < 0) {
            buf = NONE;
            pos = 0;
            limit = 0;
        }
    }

    /** Starts keeping every byte from the position on, through compaction, until {@link #unmark}. */
    public void mark() {
        mark = pos;
    }

    /** The bytes from the mark to the position. */
    public byte[] marked() {
        return Arrays.copyOfRange(buf, mark, pos);
    }

    public void unmark() {
        mark = -1;
    }

    /** Goes back to the mark: the bytes read since are read again. */
    public void rewindToMark() {
        if (mark >= 0) {
            pos = mark;
        }
    }

    /** Copies buffered bytes first; reads straight from the transport when the buffer is empty. */
    public int read(byte[] dst, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (pos == limit) {
            pos = 0;
            limit = 0;
            if (buf == NONE) {
                buf = new byte[initialCapacity];
            }
            if (length >= buf.length) {
                return pull(dst, offset, length);
            }
            int n = pull(buf, 0, buf.length);
            if (n < 0) {
                return -1;
            }
            limit = n;
        }
        int n = Math.min(length, limit - pos);
        System.arraycopy(buf, pos, dst, offset, n);
        pos += n;
        return n;
    }

    /** Reads one byte, or -1 at end of stream. */
    public int read() throws IOException {
        if (pos == limit && fill(buf.length) <= 0) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** One read from the source, under the current timeout or guard. */
    private int pull(byte[] dst, int offset, int length) throws IOException {
        if (deadlineNanos == 0) {
            return source.read(dst, offset, length, timeoutMillis);
        }
        long now = System.nanoTime();
        if (now - deadlineNanos >= 0) {
            throw new DeadlineExceededException();
        }
        long progressDeadline = now + progressNanos;
        if (retryable) {
            long until = progressDeadline - deadlineNanos < 0 ? progressDeadline : deadlineNanos;
            int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(until - now)));
            return source.read(dst, offset, length, millis);
        }
        return source.readUntil(
                dst, offset, length, progressDeadline - deadlineNanos < 0 ? progressDeadline : deadlineNanos);
    }
}
