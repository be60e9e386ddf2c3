package dev.httpsd.server;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/** Where a {@link InputBuffer} gets its bytes: the session's transport, or bytes in a test. */
@FunctionalInterface
public interface ByteSource {

    /**
     * @return bytes read (at least 1 when {@code length > 0}), or -1 at end of stream
     * @throws SocketTimeoutException when nothing arrived within {@code timeoutMillis}
     */
    int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException;

    /**
     * Reads with no per-read timer; the read ends by {@code deadlineNanos} (a session's watchdog
     * ends it there, and the session then closes). This default uses a timer instead.
     *
     * @throws SocketTimeoutException when the deadline passes first
     */
    default int readUntil(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return read(buffer, offset, length, (int) Math.min(Integer.MAX_VALUE, remaining));
    }
}
