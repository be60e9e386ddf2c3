package dev.httpsd.server;

/**
 * Called on the session's own thread right after a connection is accepted, before any byte is
 * read ({@code httpd_open_func_t}). The place to install a transport: set recv/send/pending
 * overrides and a transport context on the session. Throwing rejects the connection: the session
 * is closed (close hook, DISCONNECTED, context frees) without ON_CONNECTED.
 *
 * <p>Under {@link dev.httpsd.server.tls.HttpsServer} the hook runs after the TLS handshake, and
 * throwing rejects the session there too, where ESP ignores {@code open_fn}'s result. Such a
 * session was never announced as a TLS session (no {@code CREATE} callback, no HTTPS
 * ON_CONNECTED), so it is not announced closed either (no {@code CLOSE}, no HTTPS DISCONNECTED);
 * the client still gets close_notify.
 */
@FunctionalInterface
public interface OpenHook {

    void onOpen(HttpSession session) throws Exception;
}
