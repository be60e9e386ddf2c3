package dev.httpsd.server.http2;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a client's connection preface (RFC 9113 §3.4) and then frames (§4), checking each frame's
 * fixed rules before its content is used, and hands them to a {@link FrameHandler}:
 *
 * <ul>
 *   <li>§3.4: the preface octets, then a SETTINGS frame first — else PROTOCOL_ERROR;
 *   <li>§4.2: a frame longer than our SETTINGS_MAX_FRAME_SIZE — FRAME_SIZE_ERROR (a connection
 *       error for every type: simpler than reading an oversized DATA frame to reset one stream);
 *   <li>§6.1 DATA, §6.2 HEADERS: stream 0 — PROTOCOL_ERROR; a padded frame too short for its
 *       Pad Length (and priority fields) — FRAME_SIZE_ERROR; padding longer than what remains —
 *       PROTOCOL_ERROR;
 *   <li>§6.3 PRIORITY: stream 0 — PROTOCOL_ERROR; length other than 5 — stream error
 *       FRAME_SIZE_ERROR; a stream depending on itself (§5.3.1) — stream error PROTOCOL_ERROR;
 *   <li>§6.4 RST_STREAM: stream 0 — PROTOCOL_ERROR; length other than 4 — FRAME_SIZE_ERROR;
 *   <li>§6.5 SETTINGS: stream other than 0 — PROTOCOL_ERROR; ACK with a payload or a length not a
 *       multiple of 6 — FRAME_SIZE_ERROR; values out of range ({@link Http2Settings#check});
 *   <li>§6.6, §8.4 PUSH_PROMISE: a client cannot push — PROTOCOL_ERROR;
 *   <li>§6.7 PING: stream other than 0 — PROTOCOL_ERROR; length other than 8 — FRAME_SIZE_ERROR;
 *   <li>§6.8 GOAWAY: stream other than 0 — PROTOCOL_ERROR; shorter than 8 — FRAME_SIZE_ERROR;
 *   <li>§6.9 WINDOW_UPDATE: length other than 4 — FRAME_SIZE_ERROR; increment 0 — PROTOCOL_ERROR,
 *       a stream error on a stream, a connection error on stream 0;
 *   <li>§6.10 CONTINUATION: only right after a HEADERS or CONTINUATION frame without END_HEADERS,
 *       on the same stream; any other frame in between (unknown types included, §5.5) —
 *       PROTOCOL_ERROR; the block's size and CONTINUATION count are capped ({@link
 *       HeaderBlockAssembler});
 *   <li>§4.1, §5.5: unknown frame types are skipped, unknown flags and the reserved bit ignored.
 * </ul>
 *
 * <p>Every violation is a {@link Http2ConnectionException} unless listed as a stream error, which is
 * a {@link Http2StreamException}. The reader reads ahead into one buffer of SETTINGS_MAX_FRAME_SIZE
 * plus a header, so a TLS record holding several frames costs one read. Not thread-safe: the
 * connection's single reader uses it.
 */
final class FrameReader {

    /** The client connection preface (RFC 9113 §3.4). */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final FrameInput input;
    private final int maxFrameSize;
    private final HeaderBlockAssembler assembler;
    private final byte[] buffer;
    private int start;
    private int end;
    private boolean settingsSeen;

    /**
     * @param maxFrameSize our SETTINGS_MAX_FRAME_SIZE
     * @param assembler the caps for field blocks that span CONTINUATION frames
     */
    FrameReader(FrameInput input, int maxFrameSize, HeaderBlockAssembler assembler) {
        if (maxFrameSize < Http2Settings.MIN_MAX_FRAME_SIZE || maxFrameSize > Http2Settings.MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("max frame size " + maxFrameSize);
        }
        this.input = input;
        this.maxFrameSize = maxFrameSize;
        this.assembler = assembler;
        this.buffer = new byte[FrameHeader.LENGTH + maxFrameSize];
    }

    /**
     * Reads the 24 octets of the client preface.
     *
     * @throws Http2ConnectionException PROTOCOL_ERROR when they differ (an HTTP/1.1 request, say)
     * @throws EOFException when the stream ends first
     */
    void readPreface() throws IOException, Http2ConnectionException {
        fill(PREFACE.length, false);
        for (int i = 0; i < PREFACE.length; i++) {
            if (buffer[start + i] != PREFACE[i]) {
                throw new Http2ConnectionException(ErrorCode.PROTOCOL_ERROR, "invalid connection preface");
            }
        }
        start += PREFACE.length;
    }

    /** Whether octets of the next frame were read ahead into this reader's buffer. */
    boolean hasBuffered() {
        return end > start;
    }

    /**
     * Reads one frame, checks it and hands it to {@code handler}.
     *
     * @return false at end of stream between two frames
     * @throws EOFException when the stream ends inside a frame
     */
    boolean readFrame(FrameHandler handler) throws IOException, Http2Exception {
        if (!fill(FrameHeader.LENGTH, true)) {
            return false;
        }
        int length = FrameHeader.payloadLength(buffer, start);
        int type = FrameHeader.type(buffer, start);
        int flags = FrameHeader.flags(buffer, start);
        int streamId = FrameHeader.streamId(buffer, start);
        if (length > maxFrameSize) {
            throw connectionError(
                    ErrorCode.FRAME_SIZE_ERROR,
                    FrameType.name(type) + " frame of " + length + " octets exceeds SETTINGS_MAX_FRAME_SIZE "
                            + maxFrameSize);
        }
        fill(FrameHeader.LENGTH + length, false);
        int payload = start + FrameHeader.LENGTH;
        start = payload + length;

        if (!settingsSeen) {
            if (type != FrameType.SETTINGS || (flags & FrameType.FLAG_ACK) != 0) {
                throw connectionError(
                        ErrorCode.PROTOCOL_ERROR,
                        "the preface must be followed by SETTINGS, not " + FrameType.name(type));
            }
            settingsSeen = true;
        }
        if (assembler.inProgress() && type != FrameType.CONTINUATION) {
            throw connectionError(
                    ErrorCode.PROTOCOL_ERROR,
                    FrameType.name(type) + " frame while the field block of stream " + assembler.streamId()
                            + " awaits CONTINUATION");
        }
        switch (type) {
            case FrameType.DATA -> readData(handler, flags, streamId, payload, length);
            case FrameType.HEADERS -> readHeaders(handler, flags, streamId, payload, length);
            case FrameType.PRIORITY -> readPriority(handler, streamId, payload, length);
            case FrameType.RST_STREAM -> readRstStream(handler, streamId, payload, length);
            case FrameType.SETTINGS -> readSettings(handler, flags, streamId, payload, length);
            case FrameType.PUSH_PROMISE ->
                throw connectionError(ErrorCode.PROTOCOL_ERROR, "a client cannot push (PUSH_PROMISE)");
            case FrameType.PING -> readPing(handler, flags, streamId, payload, length);
            case FrameType.GOAWAY -> readGoAway(handler, streamId, payload, length);
            case FrameType.WINDOW_UPDATE -> readWindowUpdate(handler, streamId, payload, length);
            case FrameType.CONTINUATION -> readContinuation(handler, flags, streamId, payload, length);
            default -> handler.unknownFrame(type, flags, streamId, length);
        }
        return true;
    }

    private void readData(FrameHandler handler, int flags, int streamId, int payload, int length)
            throws Http2Exception, IOException {
        requireStream(streamId, FrameType.DATA);
        int padding = padding(flags, payload, length, 0, FrameType.DATA);
        int offset = payload + ((flags & FrameType.FLAG_PADDED) != 0 ? 1 : 0);
        int dataLength = length - (offset - payload) - padding;
        handler.data(streamId, (flags & FrameType.FLAG_END_STREAM) != 0, buffer, offset, dataLength, length);
    }

    private void readHeaders(FrameHandler handler, int flags, int streamId, int payload, int length)
            throws Http2Exception, IOException {
        requireStream(streamId, FrameType.HEADERS);
        boolean hasPriority = (flags & FrameType.FLAG_PRIORITY) != 0;
        int padding = padding(flags, payload, length, hasPriority ? 5 : 0, FrameType.HEADERS);
        int offset = payload + ((flags & FrameType.FLAG_PADDED) != 0 ? 1 : 0);
        int dependency = -1;
        if (hasPriority) {
            dependency = FrameHeader.readInt31(buffer, offset);
            offset += 5;
        }
        int fragmentLength = length - (offset - payload) - padding;
        boolean endStream = (flags & FrameType.FLAG_END_STREAM) != 0;
        if ((flags & FrameType.FLAG_END_HEADERS) != 0) {
            assembler.checkSize(streamId, fragmentLength);
            handler.headers(streamId, endStream, dependency, buffer, offset, fragmentLength);
        } else {
            assembler.start(streamId, endStream, dependency, buffer, offset, fragmentLength);
        }
    }

    private void readContinuation(FrameHandler handler, int flags, int streamId, int payload, int length)
            throws Http2Exception, IOException {
        if (!assembler.inProgress()) {
            throw connectionError(
                    ErrorCode.PROTOCOL_ERROR, "CONTINUATION on stream " + streamId + " follows no open field block");
        }
        if (streamId != assembler.streamId()) {
            throw connectionError(
                    ErrorCode.PROTOCOL_ERROR,
                    "CONTINUATION on stream " + streamId + " while the field block of stream " + assembler.streamId()
                            + " is open");
        }
        if (assembler.append(buffer, payload, length, (flags & FrameType.FLAG_END_HEADERS) != 0)) {
            handler.headers(
                    streamId,
                    assembler.endStream(),
                    assembler.streamDependency(),
                    assembler.block(),
                    0,
                    assembler.length());
        }
    }

    private void readPriority(FrameHandler handler, int streamId, int payload, int length)
            throws Http2Exception, IOException {
        requireStream(streamId, FrameType.PRIORITY);
        if (length != 5) {
            throw new Http2StreamException(
                    streamId, ErrorCode.FRAME_SIZE_ERROR, "PRIORITY frame of " + length + " octets (5 expected)");
        }
        int word = FrameHeader.readInt32(buffer, payload);
        int dependency = word & FrameHeader.MAX_31_BIT;
        if (dependency == streamId) {
            throw new Http2StreamException(
                    streamId, ErrorCode.PROTOCOL_ERROR, "stream " + streamId + " depends on itself");
        }
        handler.priority(streamId, dependency, (buffer[payload + 4] & 0xff) + 1, word < 0);
    }

    private void readRstStream(FrameHandler handler, int streamId, int payload, int length)
            throws Http2Exception, IOException {
        requireStream(streamId, FrameType.RST_STREAM);
        requireLength(length, 4, FrameType.RST_STREAM);
        handler.rstStream(streamId, FrameHeader.readUnsigned32(buffer, payload));
    }

    private void readSettings(FrameHandler handler, int flags, int streamId, int payload, int length)
            throws Http2Exception, IOException {
        requireConnection(streamId, FrameType.SETTINGS);
        if ((flags & FrameType.FLAG_ACK) != 0) {
            if (length != 0) {
                throw connectionError(
                        ErrorCode.FRAME_SIZE_ERROR, "SETTINGS acknowledgement with " + length + " octets");
            }
            handler.settingsAck();
            return;
        }
        if (length % 6 != 0) {
            throw connectionError(
                    ErrorCode.FRAME_SIZE_ERROR, "SETTINGS frame of " + length + " octets (a multiple of 6 expected)");
        }
        List<Setting> settings = new ArrayList<>(length / 6);
        for (int at = payload; at < payload + length; at += 6) {
            int id = ((buffer[at] & 0xff) << 8) | (buffer[at + 1] & 0xff);
            long value = FrameHeader.readUnsigned32(buffer, at + 2);
            Http2Settings.check(id, value);
            if (id >= Http2Settings.HEADER_TABLE_SIZE && id <= Http2Settings.MAX_HEADER_LIST_SIZE) {
                settings.add(new Setting(id, value));
            }
        }
        handler.settings(settings);
    }

    private void readPing(FrameHandler handler, int flags, int streamId, int payload, int length)
            throws Http2Exception, IOException {
        requireConnection(streamId, FrameType.PING);
        requireLength(length, 8, FrameType.PING);
        long value = ((long) FrameHeader.readInt32(buffer, payload) << 32)
                | (FrameHeader.readInt32(buffer, payload + 4) & 0xffffffffL);
        handler.ping(value, (flags & FrameType.FLAG_ACK) != 0);
    }

    private void readGoAway(FrameHandler handler, int streamId, int payload, int length)
            throws Http2Exception, IOException {
        requireConnection(streamId, FrameType.GOAWAY);
        if (length < 8) {
            throw connectionError(
                    ErrorCode.FRAME_SIZE_ERROR, "GOAWAY frame of " + length + " octets (at least 8 expected)");
        }
        handler.goAway(
                FrameHeader.readInt31(buffer, payload),
                FrameHeader.readUnsigned32(buffer, payload + 4),
                buffer,
                payload + 8,
                length - 8);
    }

    private void readWindowUpdate(FrameHandler handler, int streamId, int payload, int length)
            throws Http2Exception, IOException {
        requireLength(length, 4, FrameType.WINDOW_UPDATE);
        int increment = FrameHeader.readInt31(buffer, payload);
        if (increment == 0) {
            String message = "WINDOW_UPDATE with an increment of 0 on stream " + streamId;
            if (streamId == 0) {
                throw connectionError(ErrorCode.PROTOCOL_ERROR, message);
            }
            throw new Http2StreamException(streamId, ErrorCode.PROTOCOL_ERROR, message);
        }
        handler.windowUpdate(streamId, increment);
    }

    /**
     * The padding of a DATA or HEADERS frame (§6.1, §6.2): 0 without PADDED; else the Pad Length
     * octet, which must leave room for {@code fixed} more octets.
     */
    private int padding(int flags, int payload, int length, int fixed, int type) throws Http2ConnectionException {
        if ((flags & FrameType.FLAG_PADDED) == 0) {
            if (length < fixed) {
                throw connectionError(
                        ErrorCode.FRAME_SIZE_ERROR, FrameType.name(type) + " frame too short for its priority fields");
            }
            return 0;
        }
        if (length < 1 + fixed) {
            throw connectionError(
                    ErrorCode.FRAME_SIZE_ERROR, "padded " + FrameType.name(type) + " frame too short for its fields");
        }
        int padding = buffer[payload] & 0xff;
        if (padding > length - 1 - fixed) {
            throw connectionError(
                    ErrorCode.PROTOCOL_ERROR,
                    FrameType.name(type) + " frame of " + length + " octets with " + padding + " octets of padding");
        }
        return padding;
    }

    private static void requireStream(int streamId, int type) throws Http2ConnectionException {
        if (streamId == 0) {
            throw connectionError(ErrorCode.PROTOCOL_ERROR, FrameType.name(type) + " frame on stream 0");
        }
    }

    private static void requireConnection(int streamId, int type) throws Http2ConnectionException {
        if (streamId != 0) {
            throw connectionError(
                    ErrorCode.PROTOCOL_ERROR, FrameType.name(type) + " frame on stream " + streamId + " (0 expected)");
        }
    }

    private static void requireLength(int length, int expected, int type) throws Http2ConnectionException {
        if (length != expected) {
            throw connectionError(
                    ErrorCode.FRAME_SIZE_ERROR,
                    FrameType.name(type) + " frame of " + length + " octets (" + expected + " expected)");
        }
    }

    private static Http2ConnectionException connectionError(ErrorCode code, String message) {
        return new Http2ConnectionException(code, message);
    }

    /**
     * Makes {@code count} bytes available from {@link #start}, reading as much as the input has.
     *
     * @return false when the stream ended before any of them and {@code endAllowed}
     */
    private boolean fill(int count, boolean endAllowed) throws IOException {
        if (end - start >= count) {
            return true;
        }
        if (buffer.length - start < count) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < count) {
            int n = input.read(buffer, end, buffer.length - end);
            if (n < 0) {
                if (endAllowed && end == start) {
                    return false;
                }
                throw new EOFException("connection closed " + (end - start) + " octets into a frame of " + count);
            }
            end += n;
        }
        return true;
    }
}
