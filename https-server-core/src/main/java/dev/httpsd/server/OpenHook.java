package dev.httpsd.server;

/**
 * Called on the session's own thread right after a connection is accepted, before any byte is
 * read ({@code httpd_open_func_t}). The place to install a transport: set recv/send/pending
 * overrides and a transport context on the session. Throwing rejects the connection: the session
 * is closed (close hook, DISCONNECTED, context frees) without ON_CONNECTED.
 */
@FunctionalInterface
public interface OpenHook {

    void onOpen(HttpSession session) throws Exception;
}
