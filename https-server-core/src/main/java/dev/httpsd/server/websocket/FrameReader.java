package dev.httpsd.server.websocket;

import dev.httpsd.server.InputBuffer;
import dev.httpsd.server.WsFrameInfo;
import dev.httpsd.server.WsType;
import java.io.EOFException;
import java.io.IOException;

/**
 * Reads client frames from the connection's input, enforcing RFC 6455 as it goes: masking,
 * reserved bits and opcodes, control-frame rules, fragmentation order, UTF-8 in text messages
 * (across fragments), and the configured frame and message limits. A violation throws a {@link
 * WebSocketException} with the close code to answer.
 */
final class FrameReader {

    private final InputBuffer in;
    private final long maxFrameLength;
    private final long maxMessageLength;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final byte[] header = new byte[14];
    private final byte[] mask = new byte[4];

    /** The frame being read; null between frames. */
    private volatile WsFrameInfo current;

    private long remaining;
    private int maskIndex;
    /** The type of the data message under way (across its fragments); null between messages. */
    private WsType messageType;

    private long messageLength;
    private byte[] scratch;

    FrameReader(InputBuffer in, long maxFrameLength, long maxMessageLength) {
        this.in = in;
        this.maxFrameLength = maxFrameLength;
        this.maxMessageLength = maxMessageLength;
    }

    /** Reads the next frame's header; its payload is then read with {@link #read}. */
    WsFrameInfo next() throws IOException {
        readFully(header, 0, 2);
        boolean fin = (header[0] & 0x80) != 0;
        if ((header[0] & 0x70) != 0) {
            throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "reserved bits set without an extension");
        }
        WsType type = WsType.of(header[0] & 0x0f);
        if (type == null) {
            throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "reserved opcode " + (header[0] & 0x0f));
        }
        if ((header[1] & 0x80) == 0) {
            throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "client frames must be masked");
        }
        long length = payloadLength();
        readFully(mask, 0, 4);
        if (type.isControl()) {
            if (!fin) {
                throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "fragmented control frame");
            }
            if (length > 125) {
                throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "control frame longer than 125 bytes");
            }
        } else {
            startOrContinueMessage(type, length);
        }
        if (length > maxFrameLength) {
            throw new WebSocketException(CloseCodes.TOO_BIG, "frame of " + length + " bytes exceeds " + maxFrameLength);
        }
        boolean fragmented = !type.isControl() && (type == WsType.CONTINUE || !fin);
        current = new WsFrameInfo(type, fin, fragmented, length, length);
        remaining = length;
        maskIndex = 0;
        return current;
    }

    private long payloadLength() throws IOException {
        long length = header[1] & 0x7f;
        if (length == 126) {
            readFully(header, 2, 2);
            return ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
        }
        if (length == 127) {
            readFully(header, 2, 8);
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xffL);
            }
            if (length < 0) {
                throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "64-bit length with the high bit set");
            }
        }
        return length;
    }

    private void startOrContinueMessage(WsType type, long length) throws WebSocketException {
        if (type == WsType.CONTINUE) {
            if (messageType == null) {
                throw new WebSocketException(
                        CloseCodes.PROTOCOL_ERROR, "continuation frame without a message to continue");
            }
        } else {
            if (messageType != null) {
                throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "new data frame inside a fragmented message");
            }
            messageType = type;
            messageLength = 0;
            utf8.reset();
        }
        messageLength += length;
        if (messageLength > maxMessageLength) {
            throw new WebSocketException(CloseCodes.TOO_BIG, "message exceeds " + maxMessageLength + " bytes");
        }
    }

    /** Whether a frame is being read (between {@link #next} and {@link #finish}). */
    boolean inFrame() {
        return current != null;
    }

    /** The frame being read, with what is left of its payload; null between frames. */
    WsFrameInfo current() {
        WsFrameInfo frame = current;
        return frame == null
                ? null
                : new WsFrameInfo(frame.type(), frame.finalFragment(), frame.fragmented(), frame.length(), remaining);
    }

    /**
     * Reads up to {@code length} payload bytes of the current frame, unmasked.
     *
     * @return bytes read, or 0 when the payload is fully read
     */
    int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0 || length == 0) {
            return 0;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a WebSocket frame");
        }
        for (int i = offset; i < offset + n; i++) {
            buffer[i] ^= mask[maskIndex];
            maskIndex = (maskIndex + 1) & 3;
        }
        remaining -= n;
        if (messageType == WsType.TEXT && !current.type().isControl() && !utf8.update(buffer, offset, n)) {
            throw new WebSocketException(CloseCodes.INVALID_DATA, "text message is not UTF-8");
        }
        return n;
    }

    /** The rest of the current frame's payload. */
    byte[] readRest() throws IOException {
        byte[] payload = new byte[(int) remaining];
        int offset = 0;
        while (offset < payload.length) {
            int n = read(payload, offset, payload.length - offset);
            if (n == 0) {
                break;
            }
            offset += n;
        }
        return payload;
    }

    /**
     * Ends the current frame: discards what the handler left of its payload (still unmasking, to
     * check UTF-8), and ends the message on a final data fragment, checking its text is whole.
     */
    void finish() throws IOException {
        if (remaining > 0) {
            if (scratch == null) {
                scratch = new byte[8192];
            }
            while (remaining > 0) {
                read(scratch, 0, scratch.length);
            }
        }
        WsFrameInfo frame = current;
        current = null;
        if (frame.type().isControl() || !frame.finalFragment()) {
            return;
        }
        if (messageType == WsType.TEXT && !utf8.complete()) {
            throw new WebSocketException(CloseCodes.INVALID_DATA, "text message ends inside a UTF-8 sequence");
        }
        messageType = null;
    }

    /** Forgets the current frame without reading it: the connection is ending. */
    void abandon() {
        current = null;
    }

    /** Validates a received CLOSE payload; returns its code, {@code 1005} when it carries none. */
    static int closeCode(byte[] payload) throws WebSocketException {
        if (payload.length == 0) {
            return CloseCodes.NO_STATUS_RECEIVED;
        }
        if (payload.length == 1) {
            throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "CLOSE payload of one byte");
        }
        int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        if (!CloseCodes.receivable(code)) {
            throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "invalid close code " + code);
        }
        Utf8Validator reason = new Utf8Validator();
        if (!reason.update(payload, 2, payload.length - 2) || !reason.complete()) {
            throw new WebSocketException(CloseCodes.INVALID_DATA, "close reason is not UTF-8");
        }
        return code;
    }

    private void readFully(byte[] buffer, int offset, int length) throws IOException {
        while (length > 0) {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                throw new EOFException("connection closed inside a WebSocket frame header");
            }
            offset += n;
            length -= n;
        }
    }
}
