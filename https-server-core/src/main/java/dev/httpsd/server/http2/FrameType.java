package dev.httpsd.server.http2;

/**
 * Frame types (RFC 9113 §6, §11.2) and flags (§6) as they appear on the wire. Types are plain
 * numbers because a peer may send types this list does not know, which §4.1 and §5.5 say to
 * ignore.
 */
final class FrameType {

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    /** DATA, HEADERS: the last frame the sender sends on the stream. */
    static final int FLAG_END_STREAM = 0x1;
    /** SETTINGS, PING: an acknowledgement. */
    static final int FLAG_ACK = 0x1;
    /** HEADERS, PUSH_PROMISE, CONTINUATION: the field block ends in this frame. */
    static final int FLAG_END_HEADERS = 0x4;
    /** DATA, HEADERS, PUSH_PROMISE: a Pad Length octet and padding are present. */
    static final int FLAG_PADDED = 0x8;
    /** HEADERS: the RFC 7540 priority fields are present. */
    static final int FLAG_PRIORITY = 0x20;

    private static final String[] NAMES = {
        "DATA",
        "HEADERS",
        "PRIORITY",
        "RST_STREAM",
        "SETTINGS",
        "PUSH_PROMISE",
        "PING",
        "GOAWAY",
        "WINDOW_UPDATE",
        "CONTINUATION"
    };

    private FrameType() {}

    /** The type's name for messages, or its number for a type this list does not define. */
    static String name(int type) {
        return type >= 0 && type < NAMES.length ? NAMES[type] : "frame type 0x" + Integer.toHexString(type);
    }
}
