package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Protocol violations sent over a raw socket are answered with the right CLOSE code (RFC 6455 §7.4). */
class WebSocketProtocolTest {

    /** The {@code websocket} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("websocket");

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    static Stream<Arguments> violations() {
        byte[] badUtf8 = {(byte) 0xC3, (byte) 0x28};
        return Stream.of(
                Arguments.of("unmasked frame", WsWire.frame(0x81, false, "hi".getBytes(StandardCharsets.UTF_8)), 1002),
                Arguments.of("reserved opcode", WsWire.frame(0x83, true, new byte[0]), 1002),
                Arguments.of("reserved bits", WsWire.frame(0xC1, true, "hi".getBytes(StandardCharsets.UTF_8)), 1002),
                Arguments.of("fragmented ping", WsWire.frame(0x09, true, new byte[0]), 1002),
                Arguments.of("continuation without a message", WsWire.frame(0x80, true, new byte[1]), 1002),
                Arguments.of("invalid UTF-8 text", WsWire.frame(0x81, true, badUtf8), 1007),
                Arguments.of(
                        "close code 1005 sent on the wire",
                        WsWire.frame(0x88, true, new byte[] {0x03, (byte) 0xED}),
                        1002),
                Arguments.of("one-byte close payload", WsWire.frame(0x88, true, new byte[] {0x03}), 1002),
                Arguments.of("frame over the limit", WsWire.frame(0x82, true, new byte[300]), 1009));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void aViolationClosesTheWebSocketWithTheRightCode(String name, byte[] frame, int expectedCode) throws Exception {
        HttpServer server = fixture.start(b -> b.maxWsFrameLength(256));
        server.registerUriHandler(UriHandler.webSocket("/ws", WebSocketTest.ECHO, null));
        try (RawClient raw = fixture.connect(server)) {
            assertThat(raw.exchange(WebSocketTest.upgrade("/ws")).status()).isEqualTo(101);
            raw.send(frame);
            assertThat(WsWire.readCloseCode(raw.socket().getInputStream())).isEqualTo(expectedCode);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void singleFramesWithSixteenAndSixtyFourBitLengthsAreReadAndWritten() throws Exception {
        HttpServer server = fixture.start();
        server.registerUriHandler(UriHandler.webSocket("/ws", WebSocketTest.ECHO, null));
        try (RawClient raw = fixture.connect(server)) {
            raw.exchange(WebSocketTest.upgrade("/ws"));
            for (int size : new int[] {126, 65535, 65536, 200_000}) {
                byte[] payload = new byte[size];
                new java.util.Random(size).nextBytes(payload);
                raw.send(WsWire.frame(0x82, true, payload));
                DataInputStream in = new DataInputStream(raw.socket().getInputStream());
                assertThat(in.readUnsignedByte()).isEqualTo(0x82);
                int length = in.readUnsignedByte();
                long actual = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
                assertThat(length).isEqualTo(size < 65536 ? 126 : 127);
                assertThat(actual).isEqualTo(size);
                assertThat(in.readNBytes(size)).isEqualTo(payload);
            }
        }
    }

    @Test
    void aCleanCloseIsEchoedWithTheSameCode() throws Exception {
        HttpServer server = fixture.start();
        server.registerUriHandler(UriHandler.webSocket("/ws", WebSocketTest.ECHO, null));
        try (RawClient raw = fixture.connect(server)) {
            raw.exchange(WebSocketTest.upgrade("/ws"));
            raw.send(WsWire.frame(0x88, true, new byte[] {0x0F, (byte) 0xA0})); // 4000
            assertThat(WsWire.readCloseCode(raw.socket().getInputStream())).isEqualTo(4000);
        }
    }

    @Test
    void anIdleWebSocketIsClosedAtTheIdleTimeout() throws Exception {
        HttpServer server = fixture.start(b -> b.idleTimeout(java.time.Duration.ofMillis(300)));
        server.registerUriHandler(UriHandler.webSocket("/ws", WebSocketTest.ECHO, null));
        try (RawClient raw = fixture.connect(server)) {
            raw.exchange(WebSocketTest.upgrade("/ws"));
            assertThat(WsWire.readCloseCode(raw.socket().getInputStream())).isEqualTo(1001);
        }
    }
}
