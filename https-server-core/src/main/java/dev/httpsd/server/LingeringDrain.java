package dev.httpsd.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * The lingering close of a session that answered an error with request bytes still unread (the
 * {@link Transport}'s {@code lingerOnClose}), on plain and TLS sessions alike, run by the close
 * sequence after the close hook (TLS's close_notify goes out first).
 */
final class LingeringDrain {

    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private LingeringDrain() {}

    /**
     * After an error answer with request bytes still unread, closing at once would make the kernel
     * send RST, which can destroy the answer before the client reads it. Half-close, then discard
     * what the client still sends for a short, bounded time.
     */
    static void drain(Socket socket, InputStream socketIn) {
        try {
            socket.shutdownOutput();
            byte[] scratch = new byte[8192];
            long deadline = System.nanoTime() + DRAIN_NANOS;
            long discarded = 0;
            while (discarded < DRAIN_LIMIT) {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining <= 0) {
                    return;
                }
                socket.setSoTimeout((int) remaining);
                int n = socketIn.read(scratch);
                if (n < 0) {
                    return;
                }
                discarded += n;
            }
        } catch (IOException e) {
            // the client went away: nothing left to protect
        }
    }
}
