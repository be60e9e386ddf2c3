package dev.httpsd.server;

import java.io.IOException;

/**
 * A per-session pending function ({@code httpd_pending_func_t}), installed with {@link
 * HttpSession#setPendingOverride}: how many received bytes the transport holds beyond the socket
 * (for TLS, decrypted bytes not yet read).
 */
@FunctionalInterface
public interface PendingFunction {

    int pending(HttpSession session) throws IOException;
}
