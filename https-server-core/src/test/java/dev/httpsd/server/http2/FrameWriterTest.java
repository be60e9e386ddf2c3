package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.Frames.client;
import static dev.httpsd.server.http2.Frames.readAll;
import static dev.httpsd.server.http2.Hpack.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames as {@link FrameWriter} writes them (RFC 9113 §4.1, §6): the exact octets, and read back. */
class FrameWriterTest {

    private final OutputBuffer out = new OutputBuffer(16);

    @Test
    void aDataFrameIsAHeaderAndItsPayload() {
        FrameWriter.data(out, 1, "hello".getBytes(StandardCharsets.US_ASCII), 0, 5, true);
        assertThat(hex(out.toByteArray())).isEqualTo("000005" + "00" + "01" + "00000001" + "68656c6c6f");
    }

    @Test
    void aSmallFieldBlockIsOneHeadersFrameWithEndHeaders() {
        byte[] block = hex("8286");
        FrameWriter.headers(out, 3, block, 0, 2, false, 16_384);
        assertThat(hex(out.toByteArray())).isEqualTo("000002" + "01" + "04" + "00000003" + "8286");
    }

    @Test
    void aLargeFieldBlockIsSplitIntoContinuationFramesOfThePeersMaximumSize() throws Exception {
        byte[] block = new byte[40_000];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }
        OutputBuffer frames = new OutputBuffer(64);
        FrameWriter.settings(frames, List.of());
        FrameWriter.headers(frames, 5, block, 0, block.length, true, 16_384);
        byte[] bytes = frames.toByteArray();
        // HEADERS (16384, END_STREAM), CONTINUATION (16384), CONTINUATION (7232, END_HEADERS)
        assertThat(bytes).hasSize(9 + 9 + 16_384 + 9 + 16_384 + 9 + 7_232);
        assertThat(hex(Arrays.copyOfRange(bytes, 9, 18))).isEqualTo("004000" + "01" + "01" + "00000005");
        int second = 18 + 16_384;
        assertThat(hex(Arrays.copyOfRange(bytes, second, second + 9))).isEqualTo("004000" + "09" + "00" + "00000005");
        int third = second + 9 + 16_384;
        assertThat(hex(Arrays.copyOfRange(bytes, third, third + 9))).isEqualTo("001c40" + "09" + "04" + "00000005");
        assertThat(readAll(bytes)).containsExactly("SETTINGS []", "HEADERS 5 end " + hex(block));
    }

    @Test
    void anEmptyFieldBlockIsOneEmptyHeadersFrame() {
        FrameWriter.headers(out, 1, new byte[0], 0, 0, true, 16_384);
        assertThat(hex(out.toByteArray())).isEqualTo("000000" + "01" + "05" + "00000001");
    }

    @Test
    void everyControlFrameReadsBackAsWritten() throws Exception {
        byte[] bytes = client().then(o -> {
                    FrameWriter.priority(o, 3, 1, 256, true);
                    FrameWriter.rstStream(o, 3, ErrorCode.CANCEL);
                    FrameWriter.settings(o, new Http2Settings(4096, false, 100, 1 << 20, 1 << 16, 16_384));
                    FrameWriter.settingsAck(o);
                    FrameWriter.ping(o, 0x0102030405060708L, true);
                    FrameWriter.ping(o, -1L, false);
                    FrameWriter.goAway(o, 7, ErrorCode.ENHANCE_YOUR_CALM, "calm".getBytes(StandardCharsets.US_ASCII));
                    FrameWriter.windowUpdate(o, 0, FrameHeader.MAX_31_BIT);
                    FrameWriter.windowUpdate(o, 3, 1);
                })
                .bytes();
        assertThat(readAll(bytes))
                .containsExactly(
                        "SETTINGS []",
                        "PRIORITY 3 dep=1 weight=256 exclusive",
                        "RST_STREAM 3 8",
                        "SETTINGS [SETTINGS_ENABLE_PUSH=0, SETTINGS_MAX_CONCURRENT_STREAMS=100,"
                                + " SETTINGS_INITIAL_WINDOW_SIZE=1048576, SETTINGS_MAX_FRAME_SIZE=65536,"
                                + " SETTINGS_MAX_HEADER_LIST_SIZE=16384]",
                        "SETTINGS ack",
                        "PING 102030405060708 ack",
                        "PING ffffffffffffffff",
                        "GOAWAY 7 11 calm",
                        "WINDOW_UPDATE 0 2147483647",
                        "WINDOW_UPDATE 3 1");
    }

    @Test
    void theDefaultSettingsNeedAnEmptySettingsFrame() {
        FrameWriter.settings(out, Http2Settings.DEFAULTS);
        assertThat(hex(out.toByteArray())).isEqualTo("000000" + "04" + "00" + "00000000");
    }

    @Test
    void aGoAwayWithoutDebugDataIsEightOctets() {
        FrameWriter.goAway(out, 0x7fffffff, ErrorCode.NO_ERROR, null);
        assertThat(hex(out.toByteArray())).isEqualTo("000008" + "07" + "00" + "00000000" + "7fffffff" + "00000000");
    }

    @Test
    void framesThatBelongToAStreamRefuseStreamZero() {
        assertThatThrownBy(() -> FrameWriter.data(out, 0, new byte[0], 0, 0, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameWriter.headers(out, 0, new byte[0], 0, 0, true, 16_384))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameWriter.rstStream(out, 0, ErrorCode.CANCEL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBufferIsReusedAcrossFrames() {
        OutputBuffer reused = new OutputBuffer(64);
        FrameWriter.data(reused, 1, new byte[40], 0, 40, false);
        byte[] array = reused.array();
        reused.reset();
        FrameWriter.data(reused, 1, new byte[40], 0, 40, false);
        assertThat(reused.array()).isSameAs(array);
        assertThat(reused.length()).isEqualTo(49);
    }
}
