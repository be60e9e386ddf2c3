package dev.httpsd.server.websocket;

import dev.httpsd.server.WsFrame;

/** Encodes server frames (RFC 6455 §5.2): unmasked, the payload length in its shortest form. */
final class FrameWriter {

    private FrameWriter() {}

    /** The whole frame, header and payload, in one array: one send, one TLS record when small. */
    static byte[] encode(WsFrame frame) {
        byte[] payload = frame.payload();
        int length = payload.length;
        int headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
        byte[] bytes = new byte[headerLength + length];
        bytes[0] = (byte) ((frame.fin() ? 0x80 : 0) | frame.type().opcode());
        if (length < 126) {
            bytes[1] = (byte) length;
        } else if (length < 65536) {
            bytes[1] = 126;
            bytes[2] = (byte) (length >>> 8);
            bytes[3] = (byte) length;
        } else {
            bytes[1] = 127;
            for (int i = 0; i < 8; i++) {
                bytes[9 - i] = (byte) ((long) length >>> (8 * i));
            }
        }
        System.arraycopy(payload, 0, bytes, headerLength, length);
        return bytes;
    }
}
