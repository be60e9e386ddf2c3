package dev.httpsd.server.websocket;

import dev.httpsd.server.BytesSource;
import dev.httpsd.server.InputBuffer;
import dev.httpsd.server.WsType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The client side of {@link FrameReader}'s tests, written from RFC 6455 §5.2 and sharing no code
 * with the reader: masked frames with the shortest length encoding, the bytes handed out in reads
 * of a chosen size, and UTF-8 judged by the JDK's decoder.
 */
final class ClientFrames {

    private ClientFrames() {}

    /**
     * One client frame; {@code message} is the whole message on a data message's final frame,
     * null otherwise.
     */
    record Frame(WsType type, boolean fin, byte[] payload, byte[] message) {

        boolean fragmented() {
            return !type.isControl() && (type == WsType.CONTINUE || !fin);
        }

        /** Header (2, 4 or 10 bytes and the mask) and payload. */
        int wireLength() {
            int length = payload.length;
            return (length < 126 ? 2 : length < 65536 ? 4 : 10) + 4 + length;
        }
    }

    /** The frame masked with {@code mask}, its length in the shortest encoding. */
    static void encode(Frame frame, int mask, ByteArrayOutputStream out) {
        out.write((frame.fin() ? 0x80 : 0) | frame.type().opcode());
        int length = frame.payload().length;
        if (length < 126) {
            out.write(0x80 | length);
        } else if (length < 65536) {
            out.write(0x80 | 126);
            out.write(length >>> 8);
            out.write(length & 0xff);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift) & 0xff);
            }
        }
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        out.writeBytes(key);
        byte[] masked = frame.payload().clone();
        for (int i = 0; i < masked.length; i++) {
            masked[i] ^= key[i & 3];
        }
        out.writeBytes(masked);
    }

    /** What the reader has taken out of {@code in}: handed out by the wire, minus what is buffered. */
    static long consumed(BytesSource wire, InputBuffer in) {
        return wire.pulled() - in.buffered();
    }

    /**
     * Whether {@code bytes} are UTF-8 by the JDK's strict decoder: all of them, or, when not {@code
     * whole}, as the start of some UTF-8 text (a code point may be cut at the end).
     */
    static boolean utf8(byte[] bytes, boolean whole) {
        if (decodes(bytes)) {
            return true;
        }
        if (whole) {
            return false;
        }
        // a cut code point is completed by at most three continuation bytes; 0x80, 0x90 or 0xA0
        // suits every lead byte's range for the second one (E0: A0-BF, F0: 90-BF, ED and F4: 80-)
        for (int missing = 1; missing <= 3; missing++) {
            for (int fill : new int[] {0x80, 0x90, 0xA0}) {
                byte[] completed = Arrays.copyOf(bytes, bytes.length + missing);
                Arrays.fill(completed, bytes.length, completed.length, (byte) fill);
                if (decodes(completed)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean decodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
