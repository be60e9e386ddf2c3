package dev.httpsd.server;

import java.io.IOException;

/**
 * A per-session receive function ({@code httpd_recv_func_t}), installed with {@link
 * HttpSession#setRecvOverride}. Blocks until at least one byte is available.
 */
@FunctionalInterface
public interface RecvFunction {

    /**
     * @return the number of bytes read (at least 1 when {@code length > 0}), or -1 when the peer
     *     closed the stream
     * @throws java.net.SocketTimeoutException when nothing arrived within the receive timeout; the
     *     session stays usable
     * @throws IOException on any other failure
     */
    int recv(HttpSession session, byte[] buffer, int offset, int length) throws IOException;
}
