package dev.httpsd.server.proxy;

import java.io.IOException;

/**
 * Where {@link ProxyHeaderReader} gets a connection's first bytes: the accepted socket in the
 * server, bytes in a test. The reader never sees a socket.
 */
@FunctionalInterface
interface ProxySource {

    /**
     * Reads what is available, blocking until at least one byte is or the deadline passes.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value
     * @return bytes read (at least 1 when {@code length > 0}), or -1 at end of stream
     * @throws java.net.SocketTimeoutException when nothing arrived by the deadline
     */
    int read(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException;
}
