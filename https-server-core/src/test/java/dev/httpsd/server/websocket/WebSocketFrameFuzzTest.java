package dev.httpsd.server.websocket;

import static dev.httpsd.server.websocket.ClientFrames.consumed;
import static dev.httpsd.server.websocket.ClientFrames.utf8;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httpsd.server.BytesSource;
import dev.httpsd.server.FuzzSeeds;
import dev.httpsd.server.InputBuffer;
import dev.httpsd.server.WsFrameInfo;
import dev.httpsd.server.WsType;
import dev.httpsd.server.websocket.ClientFrames.Frame;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the WebSocket {@link FrameReader} with Jazzer, from a connection's
 * bytes handed out through an {@link InputBuffer} in reads of a fuzzed size. Two properties:
 *
 * <ul>
 *   <li>{@code anyBytes…}: any bytes are read as frames or refused with {@link WebSocketException}
 *       carrying one of RFC 6455's codes for it (1002 protocol error, 1007 invalid payload, 1009 too
 *       big), or end of stream once the input is used up; nothing else is thrown. Each frame read
 *       agrees with its header bytes (FIN, opcode, length in its 7, 16 or 64-bit form), control
 *       frames are final and at most 125 bytes, continuations follow a data frame and data frames
 *       do not interrupt a message; the payload handed out is the input unmasked; the reader takes
 *       exactly the frame's bytes from the input, nothing of the next one; frames and messages stay
 *       within the configured limits, and 1009 comes only for a frame or message over them; a text
 *       message is accepted exactly when the JDK's decoder finds it UTF-8 (1007 otherwise, even
 *       when the handler leaves its payload unread), and a CLOSE payload is read as its code or
 *       refused exactly as RFC 6455 §5.5.1 and §7.4 say.
 *   <li>{@code aValidFrameSequence…}: a sequence this test encodes itself (masked with fuzzed keys;
 *       text and binary messages in 1 to 4 fragments, text cut inside code points; PING and PONG
 *       between messages and between fragments; a final CLOSE with a valid code and UTF-8 reason;
 *       payload lengths at 0, 1, 125, 126, 127, 65535 and 65536) is read back exactly: type, FIN,
 *       fragmented flag, length, payload, each message reassembled, the CLOSE code, then end of
 *       stream. With the limits set to the largest frame and message it is accepted; one byte
 *       lower, the first frame over the limit is refused with 1009, and not a frame earlier.
 * </ul>
 *
 * <p>{@code mvn verify} replays the inputs in {@code
 * src/test/resources/dev/httpsd/server/websocket/WebSocketFrameFuzzTestInputs/<method>/}. An {@code
 * anyBytes…} file is the connection's bytes followed by six bytes read from the end: the frame
 * limit (index into {@link #FRAME_LIMITS}), the message limit (1 to 4 frame limits), read size,
 * chunk size (1 + value each), buffer capacity (index into {@link #CAPACITIES}) and whether the
 * handler reads whole payloads (odd) or one chunk. To fuzz: {@code JAZZER_FUZZ=1 mvn -pl
 * https-server-core test -Dtest=WebSocketFrameFuzzTest#<method> -Dfuzz.seconds=N}.
 */
class WebSocketFrameFuzzTest {

    static final long[] FRAME_LIMITS = {125, 126, 65535, 65536, 1 << 20, 0};
    static final int[] CAPACITIES = {16, 512, 8192};
    private static final Set<Integer> READER_CODES =
            Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_DATA, CloseCodes.TOO_BIG);
    private static final int[] BOUNDARY_LENGTHS = {0, 1, 125, 126, 127, 65535, 65536};
    private static final int[] CLOSE_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999};
    /** Payload bytes per sequence: a few frames of 64 KiB, fast enough to fuzz. */
    private static final int PAYLOAD_BUDGET = 300_000;

    @FuzzTest(maxDuration = "5m")
    void anyBytesAreReadAsFramesOrRefusedWithAnRfc6455Code(FuzzedDataProvider data) throws IOException {
        long maxFrame = FRAME_LIMITS[data.consumeInt(0, FRAME_LIMITS.length - 1)];
        long maxMessage = maxFrame * data.consumeInt(1, 4);
        int readSize = data.consumeInt(1, 256);
        int chunk = data.consumeInt(1, 256);
        int capacity = CAPACITIES[data.consumeInt(0, CAPACITIES.length - 1)];
        boolean readWhole = data.consumeBoolean();
        byte[] input = data.consumeRemainingAsBytes();

        BytesSource wire = new BytesSource(input, readSize);
        InputBuffer in = new InputBuffer(wire, capacity);
        FrameReader reader = new FrameReader(in, maxFrame, maxMessage);
        WsType messageType = null;
        long messageLength = 0;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        WsFrameInfo frame = null;
        int start = 0;
        int payloadStart = 0;
        try {
            while (true) {
                frame = null;
                start = (int) consumed(wire, in);
                frame = reader.next();
                payloadStart = (int) consumed(wire, in);
                headerAgrees(input, start, payloadStart, frame, maxFrame);
                boolean control = frame.type().isControl();
                if (!control) {
                    if (frame.type() == WsType.CONTINUE) {
                        check(messageType != null, () -> "a continuation without a message");
                    } else {
                        check(messageType == null, () -> "a new message inside a fragmented one");
                        messageType = frame.type();
                        messageLength = 0;
                        text.reset();
                    }
                    messageLength += frame.length();
                    long length = messageLength;
                    check(length <= maxMessage, () -> "a message of " + length + " bytes, limit " + maxMessage);
                }
                byte[] unmasked = unmasked(input, payloadStart, frame.length());
                if (!control && messageType == WsType.TEXT) {
                    text.writeBytes(unmasked);
                }
                // a payload longer than the input ends in end of stream: no need to allocate all of it
                long wanted = readWhole ? Math.min(frame.length(), input.length + 1L) : chunk;
                byte[] got = control ? reader.readRest() : read(reader, chunk, wanted);
                check(
                        Arrays.equals(got, 0, got.length, unmasked, 0, Math.min(got.length, unmasked.length))
                                && got.length <= unmasked.length,
                        () -> "the payload handed out is not the input unmasked");
                if (frame.type() == WsType.CLOSE) {
                    closeCodeAsRfc6455Says(got);
                }
                reader.finish();
                long end = (long) payloadStart + frame.length();
                check(consumed(wire, in) == end, () -> "the reader took bytes past the frame's end " + end);
                if (!control && messageType == WsType.TEXT) {
                    boolean whole = frame.finalFragment();
                    check(utf8(text.toByteArray(), whole), () -> "a text message accepted that is not UTF-8");
                }
                if (!control && frame.finalFragment()) {
                    messageType = null;
                }
            }
        } catch (WebSocketException e) {
            check(READER_CODES.contains(e.code()), () -> "close code " + e.code() + " for " + e.getMessage());
            if (e.code() == CloseCodes.INVALID_DATA) {
                WsFrameInfo failed = frame;
                check(
                        failed != null && !failed.type().isControl() && messageType == WsType.TEXT,
                        () -> "1007 outside a text message: " + e.getMessage());
                boolean frameWhole = input.length - payloadStart >= failed.length();
                byte[] message = text.toByteArray();
                check(
                        !utf8(message, false) || (failed.finalFragment() && frameWhole && !utf8(message, true)),
                        () -> "1007 for a text message the JDK reads as UTF-8");
            } else if (e.code() == CloseCodes.TOO_BIG) {
                check(frame == null, () -> "1009 while reading a payload");
                long declared = declaredLength(input, start);
                boolean dataFrame = (input[start] & 0x08) == 0;
                boolean continuation = (input[start] & 0x0f) == 0;
                long message = (continuation ? messageLength : 0) + declared;
                check(
                        declared > maxFrame || (dataFrame && message > maxMessage),
                        () -> "1009 for a frame of " + declared + " bytes within the limits");
            }
        } catch (EOFException e) {
            check(wire.endSeen(), () -> "end of stream before the input ended");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void aValidFrameSequenceIsReadBackExactly(FuzzedDataProvider data) throws IOException {
        int readSize = data.consumeInt(1, 4096);
        int chunk = data.consumeInt(1, 4096);
        int capacity = CAPACITIES[data.consumeInt(0, CAPACITIES.length - 1)];
        List<Frame> frames = sequence(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            ClientFrames.encode(frame, data.consumeInt(), out);
        }
        byte[] bytes = out.toByteArray();
        long maxFrame = 0;
        long maxMessage = 0;
        long message = 0;
        for (Frame frame : frames) {
            maxFrame = Math.max(maxFrame, frame.payload().length);
            if (!frame.type().isControl()) {
                message = (frame.type() == WsType.CONTINUE ? message : 0) + frame.payload().length;
                maxMessage = Math.max(maxMessage, message);
            }
        }

        int read = readBack(bytes, frames, maxFrame, maxMessage, readSize, chunk, capacity);
        check(read == frames.size(), () -> "refused with the limits at the largest frame and message");
        if (maxFrame > 0) {
            long limit = maxFrame - 1;
            int over = 0;
            while (frames.get(over).payload().length <= limit) {
                over++;
            }
            int refusedAt = readBack(bytes, frames, limit, Long.MAX_VALUE, readSize, chunk, capacity);
            int expected = over;
            check(
                    refusedAt == expected,
                    () -> "frame limit " + limit + ": refused frame " + refusedAt + ", not " + expected);
        }
        if (maxMessage > 0) {
            long limit = maxMessage - 1;
            int over = 0;
            for (long sum = 0; ; over++) {
                Frame frame = frames.get(over);
                if (!frame.type().isControl()) {
                    sum = (frame.type() == WsType.CONTINUE ? sum : 0) + frame.payload().length;
                    if (sum > limit) {
                        break;
                    }
                }
            }
            int refusedAt = readBack(bytes, frames, Long.MAX_VALUE, limit, readSize, chunk, capacity);
            int expected = over;
            check(
                    refusedAt == expected,
                    () -> "message limit " + limit + ": refused frame " + refusedAt + ", not " + expected);
        }
    }

    @Test
    void theCommittedSeedInputsAreThereUnderTheFuzzMethodsName() throws URISyntaxException {
        FuzzSeeds.assertEveryFuzzMethodHasItsSeeds(WebSocketFrameFuzzTest.class, 10);
    }

    /**
     * Reads {@code frames} from {@code bytes} and checks each against what was sent.
     *
     * @return how many frames were read before a 1009 refusal, all of them when none
     */
    private static int readBack(
            byte[] bytes, List<Frame> frames, long maxFrame, long maxMessage, int readSize, int chunk, int capacity)
            throws IOException {
        BytesSource wire = new BytesSource(bytes, readSize);
        InputBuffer in = new InputBuffer(wire, capacity);
        FrameReader reader = new FrameReader(in, maxFrame, maxMessage);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        long end = 0;
        for (int i = 0; i < frames.size(); i++) {
            Frame sent = frames.get(i);
            int length = sent.payload().length;
            WsFrameInfo frame;
            try {
                frame = reader.next();
            } catch (WebSocketException e) {
                check(
                        e.code() == CloseCodes.TOO_BIG,
                        () -> "a valid frame refused with " + e.code() + ": " + e.getMessage());
                return i;
            }
            WsFrameInfo expected = new WsFrameInfo(sent.type(), sent.fin(), sent.fragmented(), length, length);
            check(frame.equals(expected), () -> "read " + frame + ", sent " + expected);
            byte[] payload = read(reader, chunk, length);
            check(payload.length == length, () -> "the payload ended early");
            check(Arrays.equals(payload, sent.payload()), () -> "the payload read is not the payload sent");
            check(reader.current().remaining() == 0 && reader.read(new byte[1], 0, 1) == 0, () -> "payload left");
            if (sent.type() == WsType.CLOSE) {
                int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                check(FrameReader.closeCode(payload) == code, () -> "the CLOSE code is not " + code);
            }
            reader.finish();
            end += sent.wireLength();
            long frameEnd = end;
            check(consumed(wire, in) == frameEnd, () -> "the reader is not at the frame's end " + frameEnd);
            if (!sent.type().isControl()) {
                if (sent.type() != WsType.CONTINUE) {
                    message.reset();
                }
                message.writeBytes(payload);
                if (sent.fin()) {
                    check(
                            Arrays.equals(message.toByteArray(), sent.message()),
                            () -> "the message reassembled " + "from its fragments is not the message sent");
                }
            }
        }
        try {
            reader.next();
            throw new AssertionError("a frame after the last one sent");
        } catch (EOFException e) {
            return frames.size();
        }
    }

    /** Up to {@code length} payload bytes in reads of at most {@code chunk}. */
    private static byte[] read(FrameReader reader, int chunk, long length) throws IOException {
        byte[] payload = new byte[(int) Math.min(length, reader.current().remaining())];
        int offset = 0;
        while (offset < payload.length) {
            int n = reader.read(payload, offset, Math.min(chunk, payload.length - offset));
            check(n > 0, () -> "a read of nothing with payload left");
            offset += n;
        }
        return payload;
    }

    /** The frame read agrees with its header bytes in the input (RFC 6455 §5.2). */
    private static void headerAgrees(byte[] input, int start, int payloadStart, WsFrameInfo frame, long maxFrame) {
        int first = input[start] & 0xff;
        int second = input[start + 1] & 0xff;
        check((first & 0x70) == 0 && (second & 0x80) != 0, () -> "reserved bits set or an unmasked frame read");
        check(WsType.of(first & 0x0f) == frame.type(), () -> frame.type() + " read from opcode " + (first & 0x0f));
        check(frame.finalFragment() == ((first & 0x80) != 0), () -> "FIN read wrong");
        check(frame.length() == declaredLength(input, start), () -> "length read wrong");
        int header = payloadStart - start;
        int expected = (second & 0x7f) == 126 ? 8 : (second & 0x7f) == 127 ? 14 : 6;
        check(header == expected, () -> "a header of " + header + " bytes taken, not " + expected);
        check(frame.remaining() == frame.length(), () -> "payload read before the handler");
        check(frame.length() <= maxFrame, () -> "a frame of " + frame.length() + " bytes, limit " + maxFrame);
        check(
                !frame.type().isControl() || (frame.finalFragment() && frame.length() <= 125),
                () -> "a fragmented or long control frame");
        check(
                frame.fragmented()
                        == (!frame.type().isControl() && (frame.type() == WsType.CONTINUE || !frame.finalFragment())),
                () -> "fragmented flag wrong");
    }

    /** The payload length the header at {@code start} declares. */
    private static long declaredLength(byte[] input, int start) {
        int length = input[start + 1] & 0x7f;
        int bytes = length == 126 ? 2 : length == 127 ? 8 : 0;
        if (bytes == 0) {
            return length;
        }
        long declared = 0;
        for (int i = 0; i < bytes; i++) {
            declared = (declared << 8) | (input[start + 2 + i] & 0xff);
        }
        return declared;
    }

    /** The payload at {@code from}, as far as the input has it, unmasked with the 4 bytes before. */
    private static byte[] unmasked(byte[] input, int from, long length) {
        int n = (int) Math.max(0, Math.min(length, input.length - from));
        byte[] payload = new byte[n];
        for (int i = 0; i < n; i++) {
            payload[i] = (byte) (input[from + i] ^ input[from - 4 + (i & 3)]);
        }
        return payload;
    }

    /** RFC 6455 §5.5.1 (a code, then a UTF-8 reason) and §7.4 (the codes a peer may send). */
    private static void closeCodeAsRfc6455Says(byte[] payload) {
        int expected;
        if (payload.length == 0) {
            expected = CloseCodes.NO_STATUS_RECEIVED;
        } else if (payload.length == 1) {
            expected = -CloseCodes.PROTOCOL_ERROR;
        } else {
            int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            boolean sendable =
                    (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
            expected = !sendable
                    ? -CloseCodes.PROTOCOL_ERROR
                    : !utf8(Arrays.copyOfRange(payload, 2, payload.length), true) ? -CloseCodes.INVALID_DATA : code;
        }
        int actual;
        try {
            actual = FrameReader.closeCode(payload);
        } catch (WebSocketException e) {
            actual = -e.code();
        }
        int result = actual;
        check(
                result == expected,
                () -> "CLOSE payload " + Arrays.toString(payload) + " read as " + result
                        + " (negative: refused with), not " + expected);
    }

    private static List<Frame> sequence(FuzzedDataProvider data) {
        List<Frame> frames = new ArrayList<>();
        int budget = PAYLOAD_BUDGET;
        int messages = data.consumeInt(0, 4);
        for (int m = 0; m < messages; m++) {
            boolean text = data.consumeBoolean();
            int[] lengths = new int[data.consumeInt(1, 4)];
            int total = 0;
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = Math.min(length(data, 65536), budget);
                budget -= lengths[i];
                total += lengths[i];
            }
            byte[] content = text ? utf8Text(data, total) : binary(data, total);
            int offset = 0;
            for (int i = 0; i < lengths.length; i++) {
                if (i > 0 && data.consumeBoolean()) {
                    frames.add(control(data));
                }
                boolean fin = i == lengths.length - 1;
                WsType type = i > 0 ? WsType.CONTINUE : text ? WsType.TEXT : WsType.BINARY;
                frames.add(new Frame(
                        type, fin, Arrays.copyOfRange(content, offset, offset + lengths[i]), fin ? content : null));
                offset += lengths[i];
            }
            if (data.consumeBoolean()) {
                frames.add(control(data));
            }
        }
        if (data.consumeBoolean()) {
            int pick = data.consumeInt(0, CLOSE_CODES.length);
            int code = pick < CLOSE_CODES.length ? CLOSE_CODES[pick] : data.consumeInt(3000, 4999);
            byte[] reason = utf8Text(data, data.consumeInt(0, 123));
            byte[] payload = new byte[2 + reason.length];
            payload[0] = (byte) (code >>> 8);
            payload[1] = (byte) code;
            System.arraycopy(reason, 0, payload, 2, reason.length);
            frames.add(new Frame(WsType.CLOSE, true, payload, null));
        }
        return frames;
    }

    private static Frame control(FuzzedDataProvider data) {
        WsType type = data.consumeBoolean() ? WsType.PING : WsType.PONG;
        return new Frame(type, true, binary(data, length(data, 125)), null);
    }

    /** A boundary length up to {@code max}, or a small fuzzed one. */
    private static int length(FuzzedDataProvider data, int max) {
        int pick = data.consumeInt(0, BOUNDARY_LENGTHS.length + 2);
        int length = pick < BOUNDARY_LENGTHS.length ? BOUNDARY_LENGTHS[pick] : data.consumeInt(0, 300);
        return Math.min(length, max);
    }

    private static byte[] binary(FuzzedDataProvider data, int length) {
        byte[] bytes = new byte[length];
        byte[] fuzzed = data.consumeBytes(Math.min(length, 64));
        System.arraycopy(fuzzed, 0, bytes, 0, fuzzed.length);
        for (int i = fuzzed.length; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    /** {@code length} bytes of UTF-8: whole code points of a fuzzed string, then ASCII. */
    private static byte[] utf8Text(FuzzedDataProvider data, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        String fuzzed = data.consumeString(Math.min(length, 64));
        for (int codePoint : fuzzed.codePoints().toArray()) {
            byte[] encoded = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
            if (out.size() + encoded.length > length) {
                break;
            }
            out.writeBytes(encoded);
        }
        while (out.size() < length) {
            out.write('a' + out.size() % 26);
        }
        return out.toByteArray();
    }

    private static void check(boolean condition, Supplier<String> problem) {
        if (!condition) {
            throw new AssertionError(problem.get());
        }
    }
}
