package dev.httpsd.server;

/** WebSocket frame types ({@code httpd_ws_type_t}), with their RFC 6455 opcodes. */
public enum WsType {
    CONTINUE(0x0),
    TEXT(0x1),
    BINARY(0x2),
    CLOSE(0x8),
    PING(0x9),
    PONG(0xA);

    private final int opcode;

    WsType(int opcode) {
        this.opcode = opcode;
    }

    public int opcode() {
        return opcode;
    }

    /** Control frames: CLOSE, PING, PONG. */
    public boolean isControl() {
        return opcode >= 0x8;
    }

    /** The type for an opcode, or {@code null} for a reserved one. */
    public static WsType of(int opcode) {
        for (WsType type : values()) {
            if (type.opcode == opcode) {
                return type;
            }
        }
        return null;
    }
}
