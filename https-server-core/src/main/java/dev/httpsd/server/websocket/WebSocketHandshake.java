package dev.httpsd.server.websocket;

import dev.httpsd.server.http1.RequestHead;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The opening handshake of RFC 6455 §4.2 on the server side. */
final class WebSocketHandshake {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WebSocketHandshake() {}

    /** Whether the request asks to upgrade to WebSocket. */
    static boolean isUpgrade(RequestHead head) {
        return head.headers().hasToken("Upgrade", "websocket");
    }

    /** Why the handshake request is unacceptable, or {@code null} when it is fine. */
    static String problem(RequestHead head) {
        if (head.http10()) {
            return "WebSocket needs HTTP/1.1";
        }
        if (head.contentLength() != 0) {
            return "an upgrade request has no body";
        }
        if (!head.headers().hasToken("Connection", "upgrade")) {
            return "Connection header must contain 'Upgrade'";
        }
        String key = head.headers().first("Sec-WebSocket-Key");
        if (key == null || head.headers().count("Sec-WebSocket-Key") != 1) {
            return "exactly one Sec-WebSocket-Key is required";
        }
        try {
            if (Base64.getDecoder().decode(key.strip()).length != 16) {
                return "Sec-WebSocket-Key must be 16 bytes in base64";
            }
        } catch (IllegalArgumentException e) {
            return "Sec-WebSocket-Key is not base64";
        }
        return null;
    }

    static boolean versionSupported(RequestHead head) {
        return "13".equals(head.headers().first("Sec-WebSocket-Version"));
    }

    /** The subprotocol to agree on: {@code supported} if the client offered it, else null. */
    static String subprotocol(RequestHead head, String supported) {
        if (supported == null || supported.isEmpty()) {
            return null;
        }
        return head.headers().tokens("Sec-WebSocket-Protocol").contains(supported) ? supported : null;
    }

    /** The {@code 101} response head. */
    static byte[] response(RequestHead head, String subprotocol) {
        String accept;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((head.headers().first("Sec-WebSocket-Key").strip() + GUID)
                            .getBytes(StandardCharsets.US_ASCII));
            accept = Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every JVM", e);
        }
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n"
                + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n")
                + "\r\n";
        return response.getBytes(StandardCharsets.US_ASCII);
    }
}
