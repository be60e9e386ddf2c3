package dev.httpsd.server;

import java.io.IOException;

/**
 * A per-session send function ({@code httpd_send_func_t}), installed with {@link
 * HttpSession#setSendOverride}. It may write fewer bytes than asked; the server calls it again
 * for the rest.
 */
@FunctionalInterface
public interface SendFunction {

    /**
     * @return the number of bytes written, at least 1 when {@code length > 0}
     * @throws IOException when the peer is gone or the write failed
     */
    int send(HttpSession session, byte[] buffer, int offset, int length) throws IOException;
}
