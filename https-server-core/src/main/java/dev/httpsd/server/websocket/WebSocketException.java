package dev.httpsd.server.websocket;

import java.io.IOException;

/** A violation of RFC 6455 by the client: answered with a CLOSE carrying {@link #code()}. */
final class WebSocketException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int code;

    WebSocketException(int code, String message) {
        super(message);
        this.code = code;
    }

    int code() {
        return code;
    }
}
