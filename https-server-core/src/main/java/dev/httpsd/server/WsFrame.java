package dev.httpsd.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A WebSocket frame ({@code httpd_ws_frame_t}). For sending: {@code fragmented} false sends one
 * complete frame (FIN set); {@code fragmented} true sends a fragment whose FIN bit is {@code
 * finalFragment} (continue with {@link WsType#CONTINUE} frames). Received frames report their FIN
 * bit in {@code finalFragment}.
 *
 * @param type the frame type
 * @param finalFragment the FIN bit of a fragment
 * @param fragmented whether this frame is part of a fragmented message (ESP's {@code fragmented})
 * @param payload the unmasked payload
 */
public record WsFrame(WsType type, boolean finalFragment, boolean fragmented, byte[] payload) {

    public WsFrame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (type.isControl() && (payload.length > 125 || fragmented)) {
            throw new IllegalArgumentException("control frames carry at most 125 bytes and are never fragmented");
        }
    }

    public static WsFrame text(String text) {
        return new WsFrame(WsType.TEXT, true, false, text.getBytes(StandardCharsets.UTF_8));
    }

    public static WsFrame binary(byte[] data) {
        return new WsFrame(WsType.BINARY, true, false, data);
    }

    public static WsFrame ping(byte[] data) {
        return new WsFrame(WsType.PING, true, false, data);
    }

    public static WsFrame pong(byte[] data) {
        return new WsFrame(WsType.PONG, true, false, data);
    }

    /** A CLOSE frame with a status code and a UTF-8 reason (at most 123 bytes). */
    public static WsFrame close(int code, String reason) {
        byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        return new WsFrame(
                WsType.CLOSE,
                true,
                false,
                ByteBuffer.allocate(2 + text.length)
                        .putShort((short) code)
                        .put(text)
                        .array());
    }

    /** The whole FIN bit as sent on the wire: set unless this is a non-final fragment. */
    public boolean fin() {
        return !fragmented || finalFragment;
    }

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a CLOSE frame, or 1005 (no status) when it carries none. */
    public int closeCode() {
        return type == WsType.CLOSE && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
}
