package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.Frames.client;
import static dev.httpsd.server.http2.Frames.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame reader's framing rules: the preface (RFC 9113 §3.4), the frame format and size (§4.1,
 * §4.2), field blocks across CONTINUATION frames (§4.3, §6.10), extension frames (§5.5), and how
 * it reads from its input. The h2spec cases they answer:
 *
 * <ul>
 *   <li>http2/3.5/1, /2 — {@link #aValidPrefaceIsFollowedBySettings}, {@link #anInvalidPrefaceIsAProtocolError};
 *   <li>http2/4.1/1, /2, /3 — {@link #unknownFrameTypesAreSkipped}, {@link #undefinedFlagsAreIgnored},
 *       {@link #theReservedBitOfTheStreamIdIsIgnored};
 *   <li>http2/4.2/1, /2, /3 — {@link #aFrameOfTheMaximumSizeIsAccepted}, {@link #aFrameAboveOurMaximumSizeIsAFrameSizeError};
 *   <li>http2/4.3/2, /3, 6.2/1, 6.2/4, 6.10/2 — {@link #nothingButContinuationMayInterruptAFieldBlock};
 *   <li>http2/5.5/1, /2 — {@link #unknownFrameTypesAreSkipped}, {@link #nothingButContinuationMayInterruptAFieldBlock};
 *   <li>http2/6.10/1 — {@link #aFieldBlockSpanningContinuationFramesIsDeliveredOnce};
 *   <li>http2/6.10/3, /4, /5, /6 — {@link #continuationWithoutAnOpenBlockIsAProtocolError},
 *       {@link #continuationOnAnotherStreamIsAProtocolError};
 *   <li>CVE-2024-27316 (CONTINUATION flood) — {@link #aContinuationFloodIsRefusedWithEnhanceYourCalm},
 *       {@link #aFieldBlockAboveTheSizeCapIsRefusedWithEnhanceYourCalm}.
 * </ul>
 */
class FrameReaderTest {

    @Test
    void aValidPrefaceIsFollowedBySettings() throws Exception {
        byte[] bytes = concat(
                FrameReader.PREFACE, client().settings(new Setting(3, 100)).bytes());
        FrameReader reader = Frames.reader(bytes, 7, 16_384, new HeaderBlockAssembler(1024, 4));
        reader.readPreface();
        Frames.FrameLog log = new Frames.FrameLog();
        while (reader.readFrame(log)) {}
        assertThat(log.lines).containsExactly("SETTINGS []", "SETTINGS [SETTINGS_MAX_CONCURRENT_STREAMS=100]");
    }

    @Test
    void anInvalidPrefaceIsAProtocolError() {
        byte[] http11 = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        FrameReader reader = Frames.reader(http11, 100, 16_384, new HeaderBlockAssembler(1024, 4));
        assertThatThrownBy(reader::readPreface)
                .isInstanceOfSatisfying(
                        Http2ConnectionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
                .hasMessage("invalid connection preface");
    }

    @Test
    void aPrefaceCutShortIsTheEndOfTheStream() {
        FrameReader reader = Frames.reader(
                "PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII),
                100,
                16_384,
                new HeaderBlockAssembler(1024, 4));
        assertThatThrownBy(reader::readPreface).isInstanceOf(EOFException.class);
    }

    @Test
    void theFirstFrameMustBeSettings() {
        assertConnectionError(
                Frames.bare().ping(1).bytes(), ErrorCode.PROTOCOL_ERROR, "must be followed by SETTINGS, not PING");
        assertConnectionError(
                Frames.bare().then(FrameWriter::settingsAck).bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "must be followed by SETTINGS");
    }

    @Test
    void unknownFrameTypesAreSkipped() throws Exception {
        byte[] bytes = client().raw(0x42, 0xff, 3, "0102030405").ping(0x1234).bytes();
        assertThat(readAll(bytes)).containsExactly("SETTINGS []", "unknown 0x42 3 (5)", "PING 1234");
    }

    @Test
    void undefinedFlagsAreIgnored() throws Exception {
        byte[] bytes =
                client().raw(FrameType.PING, 0x16 | 0x80, 0, "0000000000000007").bytes();
        assertThat(readAll(bytes)).containsExactly("SETTINGS []", "PING 7");
    }

    @Test
    void theReservedBitOfTheStreamIdIsIgnored() throws Exception {
        byte[] bytes = client().bytes();
        byte[] data = Frames.bare().data(1, "x", true).bytes();
        data[5] |= (byte) 0x80;
        assertThat(readAll(concat(bytes, data))).containsExactly("SETTINGS []", "DATA 1 end x (1)");
    }

    @Test
    void aFrameOfTheMaximumSizeIsAccepted() throws Exception {
        byte[] bytes = client().data(1, "d".repeat(16_384), false).bytes();
        assertThat(readAll(bytes, 1000)).hasSize(2).last().asString().endsWith("(16384)");
    }

    @ParameterizedTest
    @ValueSource(ints = {FrameType.DATA, FrameType.HEADERS, FrameType.PING, 0x42})
    void aFrameAboveOurMaximumSizeIsAFrameSizeError(int type) {
        byte[] bytes = client().raw(type, 0, 1, new byte[16_385]).bytes();
        assertConnectionError(
                bytes, ErrorCode.FRAME_SIZE_ERROR, "of 16385 octets exceeds SETTINGS_MAX_FRAME_SIZE 16384");
    }

    @Test
    void aFieldBlockSpanningContinuationFramesIsDeliveredOnce() throws Exception {
        byte[] bytes = client().headersStart(3, "8286", true)
                .continuation(3, "84", false)
                .continuation(3, "", false)
                .continuation(3, "41", false)
                .continuation(3, "8cf1e3c2e5f23a6ba0ab90f4ff", true)
                .ping(1)
                .bytes();
        assertThat(readAll(bytes))
                .containsExactly("SETTINGS []", "HEADERS 3 end 828684418cf1e3c2e5f23a6ba0ab90f4ff", "PING 1");
    }

    @Test
    void nothingButContinuationMayInterruptAFieldBlock() {
        Frames open = client().headersStart(1, "82", false);
        assertConnectionError(
                open.then(o -> FrameWriter.priority(o, 1, 0, 16, false)).bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "PRIORITY frame while the field block of stream 1 awaits CONTINUATION");
        assertConnectionError(
                client().headersStart(1, "82", false).headers(3, "82", true).bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "HEADERS frame while the field block of stream 1 awaits CONTINUATION");
        assertConnectionError(
                client().headersStart(1, "82", false).data(1, "x", true).bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "DATA frame while");
        assertConnectionError(
                client().headersStart(1, "82", false).raw(0x42, 0, 1, "").bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "frame type 0x42 frame while");
        assertConnectionError(
                client().headersStart(1, "82", false)
                        .continuation(1, "84", false)
                        .ping(1)
                        .bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "PING frame while the field block of stream 1 awaits CONTINUATION");
    }

    @Test
    void continuationWithoutAnOpenBlockIsAProtocolError() {
        assertConnectionError(
                client().continuation(1, "82", true).bytes(), ErrorCode.PROTOCOL_ERROR, "follows no open field block");
        assertConnectionError(
                client().headers(1, "82", false).continuation(1, "84", true).bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "CONTINUATION on stream 1 follows no open field block");
        assertConnectionError(
                client().headersStart(1, "82", false)
                        .continuation(1, "84", true)
                        .continuation(1, "86", true)
                        .bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "follows no open field block");
        assertConnectionError(
                client().data(1, "x", false).continuation(1, "82", true).bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "follows no open field block");
    }

    @Test
    void continuationOnAnotherStreamIsAProtocolError() {
        assertConnectionError(
                client().headersStart(1, "82", false)
                        .raw(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 0, "84")
                        .bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "CONTINUATION on stream 0 while the field block of stream 1 is open");
        assertConnectionError(
                client().headersStart(1, "82", false)
                        .continuation(3, "84", true)
                        .bytes(),
                ErrorCode.PROTOCOL_ERROR,
                "CONTINUATION on stream 3 while the field block of stream 1 is open");
    }

    @Test
    void aContinuationFloodIsRefusedWithEnhanceYourCalm() throws Exception {
        Frames flood = client().headersStart(1, "82", false);
        for (int i = 0; i < 17; i++) {
            flood.continuation(1, "", false);
        }
        assertThatThrownBy(() -> readAll(flood.bytes()))
                .isInstanceOfSatisfying(
                        Http2ConnectionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM))
                .hasMessage("field block of stream 1 uses more than 16 CONTINUATION frames");

        Frames sixteen = client().headersStart(1, "82", false);
        for (int i = 0; i < 15; i++) {
            sixteen.continuation(1, "", false);
        }
        assertThat(readAll(sixteen.continuation(1, "84", true).bytes())).contains("HEADERS 1 8284");
    }

    @Test
    void aFieldBlockAboveTheSizeCapIsRefusedWithEnhanceYourCalm() {
        String kilobyte = "00".repeat(1024);
        HeaderBlockAssembler assembler = new HeaderBlockAssembler(2048, 16);
        byte[] spanning = client().headersStart(1, kilobyte, false)
                .continuation(1, kilobyte, false)
                .continuation(1, "00", true)
                .bytes();
        assertThatThrownBy(() -> readWith(Frames.reader(spanning, 512, 16_384, assembler)))
                .isInstanceOfSatisfying(
                        Http2ConnectionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM))
                .hasMessage("field block of stream 1 larger than 2048 octets");
        byte[] single = client().headers(1, kilobyte + kilobyte + "00", false).bytes();
        assertThatThrownBy(() -> readWith(Frames.reader(single, 512, 16_384, new HeaderBlockAssembler(2048, 16))))
                .isInstanceOfSatisfying(
                        Http2ConnectionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM));
    }

    @Test
    void theEndOfTheStreamBetweenFramesEndsReadingQuietly() throws Exception {
        FrameReader reader = Frames.reader(client().bytes(), 3, 16_384, new HeaderBlockAssembler(1024, 4));
        Frames.FrameLog log = new Frames.FrameLog();
        assertThat(reader.readFrame(log)).isTrue();
        assertThat(reader.readFrame(log)).isFalse();
    }

    @Test
    void theEndOfTheStreamInsideAFrameIsAnEofException() {
        byte[] bytes = client().data(1, "hello", true).bytes();
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 2);
        assertThatThrownBy(() -> readAll(cut)).isInstanceOf(EOFException.class);
        byte[] headerCut = Arrays.copyOf(bytes, bytes.length - 8);
        assertThatThrownBy(() -> readAll(headerCut)).isInstanceOf(EOFException.class);
    }

    @Test
    void framesReadTheSameWhateverTheReadSizes() throws Exception {
        byte[] bytes = client().headersStart(1, "8286", false)
                .continuation(1, "84", true)
                .data(1, "a".repeat(5000), false)
                .ping(42)
                .data(1, "b".repeat(16_384), true)
                .bytes();
        List<String> whole = readAll(bytes);
        for (int chunk : new int[] {1, 2, 9, 10, 4096, 16_393}) {
            assertThat(readAll(bytes, chunk)).as("reads of %d", chunk).isEqualTo(whole);
        }
        assertThat(whole).hasSize(5);
    }

    @Test
    void severalFramesInOneReadCostOneRead() throws Exception {
        byte[] bytes = client().ping(1).ping(2).ping(3).bytes();
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        int[] reads = {0};
        FrameReader reader = new FrameReader(
                (b, off, len) -> {
                    reads[0]++;
                    return in.read(b, off, len);
                },
                16_384,
                new HeaderBlockAssembler(1024, 4));
        Frames.FrameLog log = new Frames.FrameLog();
        for (int i = 0; i < 4; i++) {
            reader.readFrame(log);
        }
        assertThat(log.lines).hasSize(4);
        assertThat(reads[0]).isEqualTo(1);
    }

    static void assertConnectionError(byte[] bytes, ErrorCode code, String message) {
        assertThatThrownBy(() -> readAll(bytes))
                .isInstanceOfSatisfying(
                        Http2ConnectionException.class,
                        e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    static void assertStreamError(byte[] bytes, int streamId, ErrorCode code, String message) {
        assertThatThrownBy(() -> readAll(bytes))
                .isInstanceOfSatisfying(Http2StreamException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.streamId()).isEqualTo(streamId);
                })
                .hasMessageContaining(message);
    }

    private static List<String> readWith(FrameReader reader) throws Exception {
        Frames.FrameLog log = new Frames.FrameLog();
        while (reader.readFrame(log)) {}
        return log.lines;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
