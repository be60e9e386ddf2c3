package dev.httpsd.server;

import java.io.IOException;
import java.util.Optional;

/**
 * A WebSocket session: receive the current frame, send frames (from any thread), close.
 *
 * <p>A handler registered with {@link WebSocketOptions} is called once after the handshake with
 * the upgrade request ({@code request.method() == GET}), then once per received frame with {@code
 * request.method() == null} (ESP passes method 0): it reads the frame with {@link #frameInfo()}
 * and {@link #recvPayload} or {@link #recvFrame}. Payload it leaves unread is discarded. Unless
 * the handler asked for control frames, the server answers PING with PONG and CLOSE with CLOSE.
 */
public interface WebSocket {

    /** The WebSocket of a request's session, once its handshake is done. */
    static Optional<WebSocket> of(HttpRequest request) {
        return request.session() instanceof Session session && session.protocol() instanceof WebSocket webSocket
                ? Optional.of(webSocket)
                : Optional.empty();
    }

    /** The session this WebSocket runs on. */
    HttpSession session();

    /** The subprotocol agreed on in the handshake, if any. */
    Optional<String> subprotocol();

    /**
     * The header of the frame being delivered to the handler ({@code httpd_ws_recv_frame} with
     * {@code max_len} 0).
     *
     * @throws IllegalStateException outside a frame call
     */
    WsFrameInfo frameInfo();

    /**
     * Reads up to {@code length} payload bytes of the current frame, unmasked ({@code
     * httpd_ws_recv_frame_part}).
     *
     * @return bytes read, or 0 when the frame's payload is fully read
     */
    int recvPayload(byte[] buffer, int offset, int length) throws IOException;

    /**
     * Reads the whole current frame ({@code httpd_ws_recv_frame} with a buffer).
     *
     * @throws IllegalArgumentException when the payload is longer than {@code maxLength} ({@code
     *     ESP_ERR_INVALID_SIZE}); nothing is consumed then
     */
    WsFrame recvFrame(int maxLength) throws IOException;

    /**
     * Sends a frame ({@code httpd_ws_send_frame} / {@code httpd_ws_send_frame_async}); safe from
     * any thread, frames never interleave.
     */
    void sendFrame(WsFrame frame) throws IOException;

    /** Sends a CLOSE frame with this code and reason, then the session closes. */
    void close(int code, String reason) throws IOException;

    /** Whether the WebSocket is open (handshake done, no CLOSE sent or received). */
    boolean isOpen();
}
