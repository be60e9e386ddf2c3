package dev.httpsd.server;

/**
 * Called on the session's own thread right after a connection is accepted, before any byte is
 * read ({@code httpd_open_func_t}). The place to install a transport: set recv/send/pending
 * overrides and a transport context on the session; a transport layer that needs the socket
 * underneath overrides {@link #onOpen(HttpSession, TransportSetup)}. Throwing rejects the connection: the session
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

    /**
     * What the server calls: a transport layer overrides this to receive the session's {@link
     * TransportSetup} (raw socket, lock, lingering close, event sink); the default calls {@link
     * #onOpen(HttpSession)}, so a plain hook is a lambda.
     */
    default void onOpen(HttpSession session, TransportSetup transport) throws Exception {
        onOpen(session);
    }
}
