package dev.httpsd.server;

/**
 * Makes a URI handler a WebSocket endpoint ({@code httpd_uri_t.is_websocket} and its companions).
 *
 * @param handleControlFrames deliver PING, PONG and CLOSE frames to the handler ({@code
 *     handle_ws_control_frames}); otherwise the server answers PING with PONG and CLOSE with CLOSE
 * @param supportedSubprotocol the subprotocol accepted when the client offers it ({@code
 *     supported_subprotocol}); {@code null} for none
 * @param preHandshake called before the {@code 101} response ({@code ws_pre_handshake_cb}); may
 *     reject the upgrade; {@code null} accepts every upgrade
 */
public record WebSocketOptions(
        boolean handleControlFrames, String supportedSubprotocol, WebSocketPreHandshake preHandshake) {

    /** Server-handled control frames, no subprotocol, no pre-handshake check. */
    public static WebSocketOptions defaults() {
        return new WebSocketOptions(false, null, null);
    }
}
