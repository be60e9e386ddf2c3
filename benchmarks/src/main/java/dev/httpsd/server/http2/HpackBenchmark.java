package dev.httpsd.server.http2;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The HTTP/2 codec on in-memory bytes (no socket): HPACK decoding of a browser's request block,
 * first on a connection (Huffman literals that enter the dynamic table) and repeated (indices into
 * it); HPACK encoding of a typical response; and reading DATA frames.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HpackBenchmark {

    static final List<HeaderField> BROWSER_REQUEST = List.of(
            new HeaderField(":method", "GET"),
            new HeaderField(":scheme", "https"),
            new HeaderField(":authority", "www.example.com"),
            new HeaderField(":path", "/search?q=esp32+https&page=2"),
            new HeaderField("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0"),
            new HeaderField("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            new HeaderField("accept-language", "en-US,en;q=0.5"),
            new HeaderField("accept-encoding", "gzip, deflate, br, zstd"),
            new HeaderField("cookie", "session=7f3a9c1e5b2d4f60; theme=dark"),
            new HeaderField("sec-fetch-dest", "document"),
            new HeaderField("sec-fetch-mode", "navigate"));

    static final int FRAMES = 64;

    private byte[] firstBlock;
    private byte[] repeatedBlock;
    private final HpackDecoder literalDecoder = new HpackDecoder(4096, 65_536, 65_536);
    private final HpackDecoder indexedDecoder = new HpackDecoder(4096, 65_536, 65_536);
    private final HpackEncoder encoder = new HpackEncoder(4096, true);
    private final OutputBuffer out = new OutputBuffer(256);
    private byte[] dataFrames;
    private final FieldSizes sizes = new FieldSizes();
    private final FrameReader reader = new FrameReader(this::read, 16_384, new HeaderBlockAssembler(16_384, 4));
    private final FrameHandler handler = new DataCounter();
    private int position;
    private long dataOctets;

    /** Consumes decoded fields so that nothing is optimised away. */
    static final class FieldSizes implements HeaderListener {
        long total;

        @Override
        public void header(String name, String value) {
            total += name.length() + value.length();
        }
    }

    @Setup
    public void setUp() throws Exception {
        HpackEncoder client = new HpackEncoder(4096, true);
        firstBlock = encode(client, BROWSER_REQUEST);
        repeatedBlock = encode(client, BROWSER_REQUEST);
        indexedDecoder.decode(firstBlock, 0, firstBlock.length, sizes);
        OutputBuffer frames = new OutputBuffer(FRAMES * 1_040);
        FrameWriter.settings(frames, List.of());
        byte[] kilobyte = new byte[1024];
        for (int i = 0; i < FRAMES; i++) {
            FrameWriter.data(frames, 1, kilobyte, 0, kilobyte.length, false);
        }
        dataFrames = frames.toByteArray();
    }

    private static byte[] encode(HpackEncoder encoder, List<HeaderField> fields) {
        OutputBuffer block = new OutputBuffer(256);
        encoder.beginBlock(block);
        for (HeaderField field : fields) {
            encoder.encode(block, field.name(), field.value());
        }
        return block.toByteArray();
    }

    /** A first request's block: Huffman literals, each added to the (churning) dynamic table. */
    @Benchmark
    public long decodeFirstRequest() throws Exception {
        literalDecoder.decode(firstBlock, 0, firstBlock.length, sizes);
        return sizes.total;
    }

    /** The same request again on the connection: one-octet indices into the dynamic table. */
    @Benchmark
    public long decodeRepeatedRequest() throws Exception {
        indexedDecoder.decode(repeatedBlock, 0, repeatedBlock.length, sizes);
        return sizes.total;
    }

    /** A response's block, as the connection's writer encodes it for each response. */
    @Benchmark
    public int encodeResponse() {
        out.reset();
        encoder.beginBlock(out);
        encoder.encode(out, ":status", "200");
        encoder.encode(out, "content-type", "text/plain;charset=UTF-8");
        encoder.encode(out, "content-length", "12");
        encoder.encode(out, "date", "Sun, 06 Dec 2026 08:00:00 GMT");
        encoder.encode(out, "server", "httpsd");
        return out.length();
    }

    /** 64 DATA frames of 1 KiB after a SETTINGS frame, read from memory; per call, not per frame. */
    @Benchmark
    public long readDataFrames() throws IOException, Http2Exception {
        position = 0;
        dataOctets = 0;
        while (reader.readFrame(handler)) {
            // count the octets
        }
        return dataOctets;
    }

    private int read(byte[] b, int off, int len) {
        int n = Math.min(len, dataFrames.length - position);
        if (n == 0) {
            return -1;
        }
        System.arraycopy(dataFrames, position, b, off, n);
        position += n;
        return n;
    }

    /** Counts DATA octets; every other frame is ignored. */
    private final class DataCounter implements FrameHandler {

        @Override
        public void data(int streamId, boolean endStream, byte[] data, int offset, int length, int flowControlled) {
            dataOctets += length;
        }

        @Override
        public void headers(int streamId, boolean endStream, int dependency, byte[] block, int offset, int length) {}

        @Override
        public void rstStream(int streamId, long errorCode) {}

        @Override
        public void settings(List<Setting> settings) {}

        @Override
        public void settingsAck() {}

        @Override
        public void ping(long payload, boolean ack) {}

        @Override
        public void goAway(int lastStreamId, long errorCode, byte[] debugData, int offset, int length) {}

        @Override
        public void windowUpdate(int streamId, int increment) {}
    }
}
