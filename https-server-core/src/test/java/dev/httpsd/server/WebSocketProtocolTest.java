package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Protocol violations sent over a raw socket are answered with the right CLOSE code (RFC 6455 §7.4). */
class WebSocketProtocolTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    static byte[] frame(int first, boolean masked, byte[] payload) {
        var out = new java.io.ByteArrayOutputStream();
        out.write(first);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] key = {0x11, 0x22, 0x33, 0x44};
        if (masked) {
            out.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    static Stream<Arguments> violations() {
        byte[] badUtf8 = {(byte) 0xC3, (byte) 0x28};
        return Stream.of(
                Arguments.of("unmasked frame", frame(0x81, false, "hi".getBytes(StandardCharsets.UTF_8)), 1002),
                Arguments.of("reserved opcode", frame(0x83, true, new byte[0]), 1002),
                Arguments.of("reserved bits", frame(0xC1, true, "hi".getBytes(StandardCharsets.UTF_8)), 1002),
                Arguments.of("fragmented ping", frame(0x09, true, new byte[0]), 1002),
                Arguments.of("continuation without a message", frame(0x80, true, new byte[1]), 1002),
                Arguments.of("invalid UTF-8 text", frame(0x81, true, badUtf8), 1007),
                Arguments.of(
                        "close code 1005 sent on the wire", frame(0x88, true, new byte[] {0x03, (byte) 0xED}), 1002),
                Arguments.of("one-byte close payload", frame(0x88, true, new byte[] {0x03}), 1002),
                Arguments.of("frame over the limit", frame(0x82, true, new byte[300]), 1009));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void aViolationClosesTheWebSocketWithTheRightCode(String name, byte[] frame, int expectedCode) throws Exception {
        HttpServer server = fixture.start(b -> b.maxWsFrameLength(256));
        server.registerUriHandler(UriHandler.webSocket("/ws", WebSocketTest.ECHO, null));
        try (RawClient raw = fixture.connect(server)) {
            assertThat(raw.exchange(WebSocketTest.upgrade("/ws")).status()).isEqualTo(101);
            raw.send(frame);
            assertThat(readCloseCode(raw.socket().getInputStream())).isEqualTo(expectedCode);
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
                raw.send(frame(0x82, true, payload));
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
            raw.send(frame(0x88, true, new byte[] {0x0F, (byte) 0xA0})); // 4000
            assertThat(readCloseCode(raw.socket().getInputStream())).isEqualTo(4000);
        }
    }

    @Test
    void anIdleWebSocketIsClosedAtTheIdleTimeout() throws Exception {
        HttpServer server = fixture.start(b -> b.idleTimeout(java.time.Duration.ofMillis(300)));
        server.registerUriHandler(UriHandler.webSocket("/ws", WebSocketTest.ECHO, null));
        try (RawClient raw = fixture.connect(server)) {
            raw.exchange(WebSocketTest.upgrade("/ws"));
            assertThat(readCloseCode(raw.socket().getInputStream())).isEqualTo(1001);
        }
    }

    /** Skips frames until a CLOSE arrives and returns its code. */
    static int readCloseCode(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        while (true) {
            int first = data.readUnsignedByte();
            int length = data.readUnsignedByte() & 0x7f;
            if (length == 126) {
                length = data.readUnsignedShort();
            } else if (length == 127) {
                length = (int) data.readLong();
            }
            byte[] payload = data.readNBytes(length);
            if ((first & 0x0f) == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
            }
        }
    }
}
