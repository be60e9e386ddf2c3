package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.FrameReaderTest.assertConnectionError;
import static dev.httpsd.server.http2.FrameReaderTest.assertStreamError;
import static dev.httpsd.server.http2.Frames.client;
import static dev.httpsd.server.http2.Frames.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixed rules of each frame type (RFC 9113 §6), which the reader checks before a frame's
 * content is used. Each case names the h2spec case it answers (http2/6.x/n; 6.6 and 8.2/1 are
 * PUSH_PROMISE); the state-dependent cases of §6 (DATA on a closed stream, RST_STREAM on an idle
 * one) are in {@link StreamRulesTest}.
 */
class FrameTypeRulesTest {

    static Stream<Arguments> connectionErrors() {
        return Stream.of(
                connection(
                        "6.1/1 DATA on stream 0",
                        client().raw(FrameType.DATA, 0, 0, "6869"),
                        ErrorCode.PROTOCOL_ERROR,
                        "DATA frame on stream 0"),
                connection(
                        "6.1/3 DATA with padding as long as the payload",
                        client().raw(FrameType.DATA, FrameType.FLAG_PADDED, 1, "04686969"),
                        ErrorCode.PROTOCOL_ERROR,
                        "DATA frame of 4 octets with 4 octets of padding"),
                connection(
                        "6.1 padded DATA without a Pad Length",
                        client().raw(FrameType.DATA, FrameType.FLAG_PADDED, 1, ""),
                        ErrorCode.FRAME_SIZE_ERROR,
                        "padded DATA frame too short"),
                connection(
                        "6.2/2 HEADERS on stream 0",
                        client().raw(FrameType.HEADERS, FrameType.FLAG_END_HEADERS, 0, "82"),
                        ErrorCode.PROTOCOL_ERROR,
                        "HEADERS frame on stream 0"),
                connection(
                        "6.2/3 HEADERS with padding longer than what remains",
                        client().raw(FrameType.HEADERS, FrameType.FLAG_PADDED | FrameType.FLAG_END_HEADERS, 1, "0282"),
                        ErrorCode.PROTOCOL_ERROR,
                        "HEADERS frame of 2 octets with 2 octets of padding"),
                connection(
                        "6.2 HEADERS with PRIORITY too short for its fields",
                        client().raw(
                                        FrameType.HEADERS,
                                        FrameType.FLAG_PRIORITY | FrameType.FLAG_END_HEADERS,
                                        1,
                                        "00000000"),
                        ErrorCode.FRAME_SIZE_ERROR,
                        "too short for its priority fields"),
                connection(
                        "6.2 padded HEADERS with PRIORITY whose padding eats the priority fields",
                        client().raw(
                                        FrameType.HEADERS,
                                        FrameType.FLAG_PADDED | FrameType.FLAG_PRIORITY | FrameType.FLAG_END_HEADERS,
                                        1,
                                        "02000000000f82"),
                        ErrorCode.PROTOCOL_ERROR,
                        "with 2 octets of padding"),
                connection(
                        "6.3/1 PRIORITY on stream 0",
                        client().raw(FrameType.PRIORITY, 0, 0, "000000010f"),
                        ErrorCode.PROTOCOL_ERROR,
                        "PRIORITY frame on stream 0"),
                connection(
                        "6.4/1 RST_STREAM on stream 0",
                        client().raw(FrameType.RST_STREAM, 0, 0, "00000008"),
                        ErrorCode.PROTOCOL_ERROR,
                        "RST_STREAM frame on stream 0"),
                connection(
                        "6.4/3 RST_STREAM of 3 octets",
                        client().raw(FrameType.RST_STREAM, 0, 1, "000008"),
                        ErrorCode.FRAME_SIZE_ERROR,
                        "RST_STREAM frame of 3 octets (4 expected)"),
                connection(
                        "6.5/1 SETTINGS acknowledgement with a payload",
                        client().raw(FrameType.SETTINGS, FrameType.FLAG_ACK, 0, "000300000064"),
                        ErrorCode.FRAME_SIZE_ERROR,
                        "SETTINGS acknowledgement with 6 octets"),
                connection(
                        "6.5/2 SETTINGS on stream 1",
                        client().raw(FrameType.SETTINGS, 0, 1, "000300000064"),
                        ErrorCode.PROTOCOL_ERROR,
                        "SETTINGS frame on stream 1 (0 expected)"),
                connection(
                        "6.5/3 SETTINGS of 5 octets",
                        client().raw(FrameType.SETTINGS, 0, 0, "0003000000"),
                        ErrorCode.FRAME_SIZE_ERROR,
                        "SETTINGS frame of 5 octets"),
                connection(
                        "6.5.2/1 SETTINGS_ENABLE_PUSH 2",
                        client().settings(new Setting(2, 2)),
                        ErrorCode.PROTOCOL_ERROR,
                        "SETTINGS_ENABLE_PUSH must be 0 or 1, not 2"),
                connection(
                        "6.5.2/2 SETTINGS_INITIAL_WINDOW_SIZE 2^31",
                        client().settings(new Setting(4, 1L << 31)),
                        ErrorCode.FLOW_CONTROL_ERROR,
                        "SETTINGS_INITIAL_WINDOW_SIZE 2147483648 above 2^31-1"),
                connection(
                        "6.5.2/3 SETTINGS_MAX_FRAME_SIZE 2^14-1",
                        client().settings(new Setting(5, 16_383)),
                        ErrorCode.PROTOCOL_ERROR,
                        "SETTINGS_MAX_FRAME_SIZE 16383 outside 2^14..2^24-1"),
                connection(
                        "6.5.2/4 SETTINGS_MAX_FRAME_SIZE 2^24",
                        client().settings(new Setting(5, 1 << 24)),
                        ErrorCode.PROTOCOL_ERROR,
                        "SETTINGS_MAX_FRAME_SIZE 16777216 outside"),
                connection(
                        "RFC 8441 SETTINGS_ENABLE_CONNECT_PROTOCOL 2",
                        client().settings(new Setting(8, 2)),
                        ErrorCode.PROTOCOL_ERROR,
                        "SETTINGS_ENABLE_CONNECT_PROTOCOL must be 0 or 1"),
                connection(
                        "RFC 9218 SETTINGS_NO_RFC7540_PRIORITIES 7",
                        client().settings(new Setting(9, 7)),
                        ErrorCode.PROTOCOL_ERROR,
                        "SETTINGS_NO_RFC7540_PRIORITIES must be 0 or 1"),
                connection(
                        "6.6, 8.2/1 PUSH_PROMISE from a client",
                        client().then(o -> FrameWriter.pushPromise(o, 1, 2, new byte[] {(byte) 0x82}, true)),
                        ErrorCode.PROTOCOL_ERROR,
                        "a client cannot push (PUSH_PROMISE)"),
                connection(
                        "6.7/3 PING on stream 1",
                        client().raw(FrameType.PING, 0, 1, "0000000000000000"),
                        ErrorCode.PROTOCOL_ERROR,
                        "PING frame on stream 1 (0 expected)"),
                connection(
                        "6.7/4 PING of 6 octets",
                        client().raw(FrameType.PING, 0, 0, "000000000000"),
                        ErrorCode.FRAME_SIZE_ERROR,
                        "PING frame of 6 octets (8 expected)"),
                connection(
                        "6.8/1 GOAWAY on stream 1",
                        client().raw(FrameType.GOAWAY, 0, 1, "0000000000000000"),
                        ErrorCode.PROTOCOL_ERROR,
                        "GOAWAY frame on stream 1 (0 expected)"),
                connection(
                        "6.8 GOAWAY of 7 octets",
                        client().raw(FrameType.GOAWAY, 0, 0, "00000000000000"),
                        ErrorCode.FRAME_SIZE_ERROR,
                        "GOAWAY frame of 7 octets (at least 8 expected)"),
                connection(
                        "6.9/1 WINDOW_UPDATE of 0 on the connection",
                        client().raw(FrameType.WINDOW_UPDATE, 0, 0, "00000000"),
                        ErrorCode.PROTOCOL_ERROR,
                        "WINDOW_UPDATE with an increment of 0 on stream 0"),
                connection(
                        "6.9/3 WINDOW_UPDATE of 3 octets",
                        client().raw(FrameType.WINDOW_UPDATE, 0, 0, "000001"),
                        ErrorCode.FRAME_SIZE_ERROR,
                        "WINDOW_UPDATE frame of 3 octets (4 expected)"),
                connection(
                        "6.9/3 WINDOW_UPDATE of 5 octets on a stream",
                        client().raw(FrameType.WINDOW_UPDATE, 0, 1, "0000000100"),
                        ErrorCode.FRAME_SIZE_ERROR,
                        "WINDOW_UPDATE frame of 5 octets"),
                connection(
                        "6.10/3 CONTINUATION on stream 0",
                        client().raw(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 0, "82"),
                        ErrorCode.PROTOCOL_ERROR,
                        "CONTINUATION on stream 0 follows no open field block"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectionErrors")
    void frameRuleViolationsAreConnectionErrors(String rule, Frames frames, ErrorCode code, String message) {
        assertConnectionError(frames.bytes(), code, message);
    }

    @Test
    void priorityOfAnyLengthButFiveIsAStreamFrameSizeError() {
        // h2spec http2/6.3/2
        assertStreamError(
                client().raw(FrameType.PRIORITY, 0, 3, "0000000110ff").bytes(),
                3,
                ErrorCode.FRAME_SIZE_ERROR,
                "PRIORITY frame of 6 octets (5 expected)");
    }

    @Test
    void aStreamDependingOnItselfIsAStreamProtocolError() throws Exception {
        // h2spec http2/5.3.1/2: PRIORITY; the HEADERS case (/1) is checked after decoding, in StreamRegistry
        assertStreamError(
                client().raw(FrameType.PRIORITY, 0, 5, "000000050f").bytes(),
                5,
                ErrorCode.PROTOCOL_ERROR,
                "stream 5 depends on itself");
        assertThat(readAll(client().raw(
                                FrameType.HEADERS,
                                FrameType.FLAG_PRIORITY | FrameType.FLAG_END_HEADERS,
                                5,
                                "800000050f82")
                        .bytes()))
                .containsExactly("SETTINGS []", "HEADERS 5 dep=5 82");
    }

    @Test
    void aZeroWindowIncrementOnAStreamIsAStreamProtocolError() {
        // h2spec http2/6.9/2
        assertStreamError(
                client().raw(FrameType.WINDOW_UPDATE, 0, 1, "00000000").bytes(),
                1,
                ErrorCode.PROTOCOL_ERROR,
                "WINDOW_UPDATE with an increment of 0 on stream 1");
    }

    @Test
    void validFramesOfEveryTypeAreDeliveredWithTheirFields() throws Exception {
        // the h2spec generic/3.x cases: each frame type accepted when well-formed
        byte[] bytes = client().raw(
                        FrameType.DATA, FrameType.FLAG_PADDED | FrameType.FLAG_END_STREAM, 1, "0368690000" + "00")
                .raw(
                        FrameType.HEADERS,
                        FrameType.FLAG_PADDED | FrameType.FLAG_PRIORITY | FrameType.FLAG_END_HEADERS,
                        3,
                        "02" + "80000001" + "0f" + "8286" + "0000")
                .raw(FrameType.PRIORITY, 0, 5, "800000030f")
                .raw(FrameType.RST_STREAM, 0, 3, "000000ff")
                .settings(
                        new Setting(1, 0),
                        new Setting(3, 100),
                        new Setting(0x99, 1),
                        new Setting(4, 1 << 20),
                        new Setting(5, 1 << 20),
                        new Setting(6, 8192),
                        new Setting(2, 0),
                        new Setting(8, 1),
                        new Setting(9, 1))
                .then(FrameWriter::settingsAck)
                .raw(FrameType.PING, FrameType.FLAG_ACK, 0, "0102030405060708")
                .raw(FrameType.GOAWAY, 0, 0, "8000000700000042" + "6279")
                .raw(FrameType.WINDOW_UPDATE, 0, 0, "80000100")
                .raw(FrameType.WINDOW_UPDATE, 0, 3, "7fffffff")
                .bytes();
        assertThat(readAll(bytes))
                .containsExactly(
                        "SETTINGS []",
                        "DATA 1 end hi (6)",
                        "HEADERS 3 dep=1 8286",
                        "PRIORITY 5 dep=3 weight=16 exclusive",
                        "RST_STREAM 3 255",
                        "SETTINGS [SETTINGS_HEADER_TABLE_SIZE=0, SETTINGS_MAX_CONCURRENT_STREAMS=100,"
                                + " SETTINGS_INITIAL_WINDOW_SIZE=1048576, SETTINGS_MAX_FRAME_SIZE=1048576,"
                                + " SETTINGS_MAX_HEADER_LIST_SIZE=8192, SETTINGS_ENABLE_PUSH=0]",
                        "SETTINGS ack",
                        "PING 102030405060708 ack",
                        "GOAWAY 7 66 by",
                        "WINDOW_UPDATE 0 256",
                        "WINDOW_UPDATE 3 2147483647");
    }

    @Test
    void paddingMayTakeAllOfThePayloadButThePadLength() throws Exception {
        byte[] bytes = client().raw(FrameType.DATA, FrameType.FLAG_PADDED, 1, "03000000")
                .raw(
                        FrameType.HEADERS,
                        FrameType.FLAG_PADDED | FrameType.FLAG_PRIORITY | FrameType.FLAG_END_HEADERS,
                        3,
                        "01000000000f00")
                .bytes();
        assertThat(readAll(bytes)).containsExactly("SETTINGS []", "DATA 1  (4)", "HEADERS 3 dep=0 ");
    }

    @Test
    void settingsAtTheEdgesOfTheirRangesAreAccepted() throws Exception {
        byte[] bytes = client().settings(
                        new Setting(4, 0x7fffffffL),
                        new Setting(5, 16_384),
                        new Setting(5, 16_777_215),
                        new Setting(1, 0xffffffffL),
                        new Setting(2, 1))
                .bytes();
        assertThat(readAll(bytes)).hasSize(2);
    }

    @Test
    void errorCodesUnknownToUsAreHandedOnAsSent() throws Exception {
        // h2spec http2/7/1, /2: no special behaviour for unknown codes
        byte[] bytes = client().raw(FrameType.RST_STREAM, 0, 1, "ffffffff")
                .then(o -> FrameWriter.goAway(o, 0, 0xdeadL, null))
                .bytes();
        assertThat(readAll(bytes)).containsExactly("SETTINGS []", "RST_STREAM 1 4294967295", "GOAWAY 0 57005 ");
        assertThat(ErrorCode.of(0xdead)).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(ErrorCode.of(0xb)).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
    }

    private static Arguments connection(String rule, Frames frames, ErrorCode code, String message) {
        return Arguments.of(rule, frames, code, message);
    }
}
