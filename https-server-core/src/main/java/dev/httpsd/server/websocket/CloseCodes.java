package dev.httpsd.server.websocket;

/** WebSocket close codes (RFC 6455 §7.4) the server sends or checks. */
final class CloseCodes {

    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    /** Reserved: a CLOSE frame that carries no code is reported as this one, never sent. */
    static final int NO_STATUS_RECEIVED = 1005;

    static final int INVALID_DATA = 1007;
    static final int TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;

    private CloseCodes() {}

    /**
     * Whether a peer may send this code: the defined ones it may use (1000-1003, 1007-1011), and
     * the ranges for libraries and applications (3000-4999). 1004-1006 and 1015 are reserved,
     * 1012-1014 were defined later for servers only.
     */
    static boolean receivable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
    }
}
