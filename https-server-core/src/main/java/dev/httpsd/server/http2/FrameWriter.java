package dev.httpsd.server.http2;

import java.util.List;

/**
 * Writes frames (RFC 9113 §4.1, §6) into a caller's {@link OutputBuffer}: the connection's single
 * writer appends the frames it serialises and hands the buffer to the transport, so the hot path
 * (DATA and HEADERS) allocates nothing. Stateless; sizes are the caller's to respect: no frame
 * may exceed the peer's SETTINGS_MAX_FRAME_SIZE, and DATA must fit the flow-control windows.
 *
 * <p>Frames a server never sends (PRIORITY, PUSH_PROMISE, padded frames through {@link #frame})
 * are here so tests can play a client, well-behaved or not.
 */
final class FrameWriter {

    private FrameWriter() {}

    /** A frame of any type with a payload given as is. */
    static void frame(OutputBuffer out, int type, int flags, int streamId, byte[] payload) {
        FrameHeader.write(out, payload.length, type, flags, streamId);
        out.write(payload, 0, payload.length);
    }

    /** A DATA frame (§6.1). */
    static void data(OutputBuffer out, int streamId, byte[] data, int offset, int length, boolean endStream) {
        dataHeader(out, streamId, length, endStream);
        out.write(data, offset, length);
    }

    /** Only the header of a DATA frame, for a payload the transport sends right after it. */
    static void dataHeader(OutputBuffer out, int streamId, int length, boolean endStream) {
        requireStream(streamId);
        FrameHeader.write(out, length, FrameType.DATA, endStream ? FrameType.FLAG_END_STREAM : 0, streamId);
    }

    /**
     * A field block as a HEADERS frame (§6.2) and as many CONTINUATION frames (§6.10) as {@code
     * maxFrameSize} (the peer's SETTINGS_MAX_FRAME_SIZE) requires; the last one carries END_HEADERS.
     */
    static void headers(
            OutputBuffer out, int streamId, byte[] block, int offset, int length, boolean endStream, int maxFrameSize) {
        requireStream(streamId);
        int first = Math.min(length, maxFrameSize);
        int flags = (endStream ? FrameType.FLAG_END_STREAM : 0) | (first == length ? FrameType.FLAG_END_HEADERS : 0);
        FrameHeader.write(out, first, FrameType.HEADERS, flags, streamId);
        out.write(block, offset, first);
        for (int at = first; at < length; ) {
            int n = Math.min(length - at, maxFrameSize);
            continuation(out, streamId, block, offset + at, n, at + n == length);
            at += n;
        }
    }

    /** A CONTINUATION frame (§6.10). */
    static void continuation(OutputBuffer out, int streamId, byte[] block, int offset, int length, boolean endHeaders) {
        requireStream(streamId);
        FrameHeader.write(out, length, FrameType.CONTINUATION, endHeaders ? FrameType.FLAG_END_HEADERS : 0, streamId);
        out.write(block, offset, length);
    }

    /** A PRIORITY frame (§6.3); {@code weight} from 1 to 256. */
    static void priority(OutputBuffer out, int streamId, int streamDependency, int weight, boolean exclusive) {
        requireStream(streamId);
        FrameHeader.write(out, 5, FrameType.PRIORITY, 0, streamId);
        out.writeInt((streamDependency & FrameHeader.MAX_31_BIT) | (exclusive ? 0x80000000 : 0));
        out.writeByte(weight - 1);
    }

    /** RST_STREAM (§6.4). */
    static void rstStream(OutputBuffer out, int streamId, ErrorCode code) {
        rstStream(out, streamId, code.code());
    }

    /** RST_STREAM with any 32-bit code, known or not. */
    static void rstStream(OutputBuffer out, int streamId, long code) {
        requireStream(streamId);
        FrameHeader.write(out, 4, FrameType.RST_STREAM, 0, streamId);
        out.writeInt((int) code);
    }

    /** Our SETTINGS (§6.5): the parameters that differ from the protocol's initial values. */
    static void settings(OutputBuffer out, Http2Settings settings) {
        settings(out, settings.differencesFromDefaults());
    }

    /** A SETTINGS frame with these parameters, in order, unchecked. */
    static void settings(OutputBuffer out, List<Setting> settings) {
        FrameHeader.write(out, 6 * settings.size(), FrameType.SETTINGS, 0, 0);
        for (Setting setting : settings) {
            out.writeShort(setting.id());
            out.writeInt((int) setting.value());
        }
    }

    /** The acknowledgement of the peer's SETTINGS (§6.5.3). */
    static void settingsAck(OutputBuffer out) {
        FrameHeader.write(out, 0, FrameType.SETTINGS, FrameType.FLAG_ACK, 0);
    }

    /** PUSH_PROMISE (§6.6), which a server that never pushes only writes to test a client's refusal. */
    static void pushPromise(OutputBuffer out, int streamId, int promisedStreamId, byte[] block, boolean endHeaders) {
        requireStream(streamId);
        FrameHeader.write(
                out, 4 + block.length, FrameType.PUSH_PROMISE, endHeaders ? FrameType.FLAG_END_HEADERS : 0, streamId);
        out.writeInt(promisedStreamId & FrameHeader.MAX_31_BIT);
        out.write(block, 0, block.length);
    }

    /** PING (§6.7), or its answer with {@code ack} and the same payload. */
    static void ping(OutputBuffer out, long payload, boolean ack) {
        FrameHeader.write(out, 8, FrameType.PING, ack ? FrameType.FLAG_ACK : 0, 0);
        out.writeInt((int) (payload >>> 32));
        out.writeInt((int) payload);
    }

    /** GOAWAY (§6.8) with optional debug data (null for none). */
    static void goAway(OutputBuffer out, int lastStreamId, ErrorCode code, byte[] debugData) {
        goAway(out, lastStreamId, code.code(), debugData);
    }

    /** GOAWAY with any 32-bit code, known or not. */
    static void goAway(OutputBuffer out, int lastStreamId, long code, byte[] debugData) {
        int debugLength = debugData == null ? 0 : debugData.length;
        FrameHeader.write(out, 8 + debugLength, FrameType.GOAWAY, 0, 0);
        out.writeInt(lastStreamId & FrameHeader.MAX_31_BIT);
        out.writeInt((int) code);
        if (debugLength > 0) {
            out.write(debugData, 0, debugLength);
        }
    }

    /** WINDOW_UPDATE (§6.9); stream 0 is the connection; {@code increment} from 1 to 2^31-1. */
    static void windowUpdate(OutputBuffer out, int streamId, int increment) {
        FrameHeader.write(out, 4, FrameType.WINDOW_UPDATE, 0, streamId);
        out.writeInt(increment & FrameHeader.MAX_31_BIT);
    }

    private static void requireStream(int streamId) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("stream " + streamId + " for a frame that belongs to a stream");
        }
    }
}
