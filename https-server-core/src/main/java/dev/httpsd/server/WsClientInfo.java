package dev.httpsd.server;

/** What a session is ({@code httpd_ws_client_info_t}), from {@link HttpServer#webSocketState}. */
public enum WsClientInfo {
    /** No such session. */
    INVALID,
    /** An HTTP session (or a WebSocket that is closing). */
    HTTP,
    /** A WebSocket session whose handshake is done and that is not closing. */
    WEBSOCKET
}
