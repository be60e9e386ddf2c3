package dev.httpsd.server;

/**
 * Decides whether to accept a WebSocket upgrade before the {@code 101} response ({@code
 * ws_pre_handshake_cb}), e.g. to authenticate: users asked ESP for this (esp-idf#7566, #18215).
 */
@FunctionalInterface
public interface WebSocketPreHandshake {

    /**
     * @param request the upgrade request: headers, query, cookies, session, TLS state
     * @param response to answer a rejection yourself (e.g. 401 with {@code WWW-Authenticate})
     * @return true to accept; false to reject, with {@code 403} unless the callback already sent a
     *     response
     */
    boolean accept(HttpRequest request, HttpResponse response) throws Exception;
}
