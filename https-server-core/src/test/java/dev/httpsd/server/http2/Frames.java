package dev.httpsd.server.http2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Test helpers for frames: a client's bytes built with {@link FrameWriter}, a {@link FrameHandler}
 * that logs what it receives as one line per frame, and a reader over bytes.
 */
final class Frames {

    private final OutputBuffer out = new OutputBuffer(256);

    /** Starts a client's bytes: the preface's frame part, an empty SETTINGS frame. */
    static Frames client() {
        Frames frames = new Frames();
        FrameWriter.settings(frames.out, List.of());
        return frames;
    }

    /** Starts bytes with nothing in front. */
    static Frames bare() {
        return new Frames();
    }

    Frames raw(int type, int flags, int streamId, String payloadHex) {
        FrameWriter.frame(out, type, flags, streamId, Hpack.hex(payloadHex));
        return this;
    }

    Frames raw(int type, int flags, int streamId, byte[] payload) {
        FrameWriter.frame(out, type, flags, streamId, payload);
        return this;
    }

    Frames data(int streamId, String text, boolean endStream) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        FrameWriter.data(out, streamId, bytes, 0, bytes.length, endStream);
        return this;
    }

    /** HEADERS with END_HEADERS carrying {@code block}. */
    Frames headers(int streamId, String blockHex, boolean endStream) {
        byte[] block = Hpack.hex(blockHex);
        FrameWriter.headers(out, streamId, block, 0, block.length, endStream, 16_384);
        return this;
    }

    /**
     * HEADERS with END_HEADERS carrying a GET for {@code path} and the given extra fields, encoded
     * without indexing so that blocks do not depend on each other.
     */
    Frames request(int streamId, String method, String path, boolean endStream, String... extra) {
        byte[] block = block(method, path, extra);
        FrameWriter.headers(out, streamId, block, 0, block.length, endStream, 16_384);
        return this;
    }

    static byte[] block(String method, String path, String... extra) {
        HpackEncoder encoder = new HpackEncoder(4096, false);
        OutputBuffer block = new OutputBuffer(64);
        String[] fields = {":method", method, ":scheme", "https", ":authority", "example.com", ":path", path};
        for (int i = 0; i < fields.length; i += 2) {
            encoder.encode(block, fields[i], fields[i + 1], HpackEncoder.Indexing.WITHOUT);
        }
        for (int i = 0; i < extra.length; i += 2) {
            encoder.encode(block, extra[i], extra[i + 1], HpackEncoder.Indexing.WITHOUT);
        }
        return block.toByteArray();
    }

    /** A trailer block encoded without indexing. */
    static byte[] trailerBlock(String... namesAndValues) {
        HpackEncoder encoder = new HpackEncoder(4096, false);
        OutputBuffer block = new OutputBuffer(64);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            encoder.encode(block, namesAndValues[i], namesAndValues[i + 1], HpackEncoder.Indexing.WITHOUT);
        }
        return block.toByteArray();
    }

    /** HEADERS without END_HEADERS. */
    Frames headersStart(int streamId, String blockHex, boolean endStream) {
        return raw(FrameType.HEADERS, endStream ? FrameType.FLAG_END_STREAM : 0, streamId, blockHex);
    }

    Frames continuation(int streamId, String blockHex, boolean endHeaders) {
        byte[] block = Hpack.hex(blockHex);
        FrameWriter.continuation(out, streamId, block, 0, block.length, endHeaders);
        return this;
    }

    Frames settings(Setting... settings) {
        FrameWriter.settings(out, List.of(settings));
        return this;
    }

    Frames ping(long payload) {
        FrameWriter.ping(out, payload, false);
        return this;
    }

    Frames then(Consumer<OutputBuffer> writer) {
        writer.accept(out);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Reads every frame of {@code bytes}, delivered {@code chunk} bytes per read, into a log. */
    static List<String> readAll(byte[] bytes, int chunk) throws IOException, Http2Exception {
        FrameLog log = new FrameLog();
        FrameReader reader = reader(bytes, chunk, 16_384, new HeaderBlockAssembler(65_536, 16));
        while (reader.readFrame(log)) {
            // each frame is logged
        }
        return log.lines;
    }

    static List<String> readAll(byte[] bytes) throws IOException, Http2Exception {
        return readAll(bytes, Integer.MAX_VALUE);
    }

    static FrameReader reader(byte[] bytes, int chunk, int maxFrameSize, HeaderBlockAssembler assembler) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new FrameReader((b, off, len) -> in.read(b, off, Math.min(len, chunk)), maxFrameSize, assembler);
    }

    /** Logs each frame as a line such as {@code DATA 1 end hello (5)}. */
    static final class FrameLog implements FrameHandler {

        final List<String> lines = new ArrayList<>();

        @Override
        public void data(int streamId, boolean endStream, byte[] data, int offset, int length, int flowControlled) {
            lines.add("DATA " + streamId + (endStream ? " end " : " ")
                    + new String(data, offset, length, StandardCharsets.ISO_8859_1) + " (" + flowControlled + ")");
        }

        @Override
        public void headers(
                int streamId, boolean endStream, int streamDependency, byte[] block, int offset, int length) {
            byte[] copy = Arrays.copyOfRange(block, offset, offset + length);
            lines.add("HEADERS " + streamId + (endStream ? " end" : "")
                    + (streamDependency >= 0 ? " dep=" + streamDependency : "") + " " + Hpack.hex(copy));
        }

        @Override
        public void priority(int streamId, int streamDependency, int weight, boolean exclusive) {
            lines.add("PRIORITY " + streamId + " dep=" + streamDependency + " weight=" + weight
                    + (exclusive ? " exclusive" : ""));
        }

        @Override
        public void rstStream(int streamId, long errorCode) {
            lines.add("RST_STREAM " + streamId + " " + errorCode);
        }

        @Override
        public void settings(List<Setting> settings) {
            lines.add("SETTINGS " + settings);
        }

        @Override
        public void settingsAck() {
            lines.add("SETTINGS ack");
        }

        @Override
        public void ping(long payload, boolean ack) {
            lines.add("PING " + Long.toHexString(payload) + (ack ? " ack" : ""));
        }

        @Override
        public void goAway(int lastStreamId, long errorCode, byte[] debugData, int offset, int length) {
            lines.add("GOAWAY " + lastStreamId + " " + errorCode + " "
                    + new String(debugData, offset, length, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void windowUpdate(int streamId, int increment) {
            lines.add("WINDOW_UPDATE " + streamId + " " + increment);
        }

        @Override
        public void unknownFrame(int type, int flags, int streamId, int length) {
            lines.add("unknown 0x" + Integer.toHexString(type) + " " + streamId + " (" + length + ")");
        }
    }
}
