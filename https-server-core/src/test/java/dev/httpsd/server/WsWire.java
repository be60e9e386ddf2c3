package dev.httpsd.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * WebSocket frames on the wire for raw-socket tests: masked client frames out, server frames in.
 * Reading checks what RFC 6455 demands of a server (unmasked frames, a known opcode), so a test
 * that reads a frame also sees one that is cut or interleaved.
 */
final class WsWire {

    private static final byte[] KEY = {0x11, 0x22, 0x33, 0x44};

    private WsWire() {}

    /** A frame with this first byte (FIN, RSV, opcode), masked or not. */
    static byte[] frame(int first, boolean masked, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift));
            }
        }
        if (masked) {
            out.writeBytes(KEY);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ KEY[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    /** A masked client frame. */
    static byte[] clientFrame(WsType type, boolean fin, byte[] payload) {
        return frame((fin ? 0x80 : 0) | type.opcode(), true, payload);
    }

    /** Reads one server frame; {@code fragmented} is set for a non-final or continuation frame. */
    static WsFrame readFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.readUnsignedByte();
        int second = data.readUnsignedByte();
        if ((first & 0x70) != 0 || (second & 0x80) != 0) {
            throw new IOException("server frame with reserved bits or a mask: " + first + ", " + second);
        }
        WsType type = WsType.of(first & 0x0f);
        if (type == null) {
            throw new IOException("server frame with reserved opcode " + (first & 0x0f));
        }
        long length = second & 0x7f;
        if (length == 126) {
            length = data.readUnsignedShort();
        } else if (length == 127) {
            length = data.readLong();
        }
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IOException("server frame of " + length + " bytes");
        }
        byte[] payload = data.readNBytes((int) length);
        if (payload.length != length) {
            throw new IOException("connection closed inside a frame of " + length + " bytes");
        }
        boolean fin = (first & 0x80) != 0;
        return new WsFrame(type, fin, !fin || type == WsType.CONTINUE, payload);
    }

    /** Skips frames until a CLOSE arrives and returns it. */
    static WsFrame readClose(InputStream in) throws IOException {
        while (true) {
            WsFrame frame = readFrame(in);
            if (frame.type() == WsType.CLOSE) {
                return frame;
            }
        }
    }

    /** Skips frames until a CLOSE arrives and returns its code. */
    static int readCloseCode(InputStream in) throws IOException {
        return readClose(in).closeCode();
    }
}
