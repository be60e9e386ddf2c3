package dev.httpsd.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.proxy.ProxyHeader.Command;
import dev.httpsd.server.proxy.ProxyHeader.Family;
import dev.httpsd.server.proxy.ProxyHeader.Transport;
import dev.httpsd.server.proxy.ProxyHeaderException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Version 1 lines: the specification's exact grammar, the 107-byte bound, and what follows the line. */
class ProxyV1Test {

    private final ProxyHeaderReader reader = new ProxyHeaderReader();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            PROXY TCP4 192.168.0.1 192.168.0.11 56324 443     | 192.168.0.1       | 56324 | 192.168.0.11      | 443
            PROXY TCP4 0.0.0.0 255.255.255.255 0 65535        | 0.0.0.0           | 0     | 255.255.255.255   | 65535
            PROXY TCP6 2001:db8::1 2001:db8::2 4711 8443      | 2001:db8:0:0:0:0:0:1 | 4711 | 2001:db8:0:0:0:0:0:2 | 8443
            PROXY TCP6 ::1 ::1 50000 443                      | 0:0:0:0:0:0:0:1   | 50000 | 0:0:0:0:0:0:0:1   | 443
            PROXY TCP6 FFFF:ffff:0:0:0:0:0:1 :: 1 2           | ffff:ffff::1      | 1     | ::                | 2
            PROXY TCP6 ::ffff:192.0.2.1 ::ffff:192.0.2.2 1 2  | 192.0.2.1         | 1     | 192.0.2.2         | 2
            """)
    void aTcpLineGivesTheClientAndServerAddresses(
            String line, String source, int sourcePort, String destination, int destinationPort) throws IOException {
        ProxyHeaderReader.Result result = read(line + "\r\n");

        ProxyHeader header = result.header();
        assertThat(header.version()).isEqualTo(1);
        assertThat(header.command()).isEqualTo(Command.PROXY);
        assertThat(header.family()).isEqualTo(line.contains("TCP4") ? Family.INET : Family.INET6);
        assertThat(header.transport()).isEqualTo(Transport.STREAM);
        assertThat(header.clientAddress()).hasValue(new InetSocketAddress(address(source), sourcePort));
        assertThat(header.serverAddress()).hasValue(new InetSocketAddress(address(destination), destinationPort));
        assertThat(header.otherTlvs()).isEmpty();
        assertThat(result.leftover()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "PROXY UNKNOWN",
                "PROXY UNKNOWN ffff:f:f:f:f:f:f:ffff ffff:f:f:f:f:f:f:ffff 65535 65535",
                "PROXY UNKNOWN anything at all, even 999.1.1.1"
            })
    void unknownLeavesTheConnectionsOwnAddressesAndIgnoresTheRestOfTheLine(String line) throws IOException {
        ProxyHeader header = read(line + "\r\n").header();

        assertThat(header.family()).isEqualTo(Family.UNSPEC);
        assertThat(header.transport()).isEqualTo(Transport.UNSPEC);
        assertThat(header.source()).isEmpty();
        assertThat(header.clientAddress()).isEmpty();
    }

    @Test
    void theLongestLineOf107BytesIsRead() throws IOException {
        String line = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                + " 65535 65535\r\n";
        assertThat(line).hasSize(107);

        assertThat(read(line).header().family()).isEqualTo(Family.UNSPEC);
    }

    @Test
    void noCrlfWithin107BytesIsRefusedWithoutReadingMore() {
        String line = "PROXY UNKNOWN " + "f".repeat(100) + "\r\n";
        ScriptedSource source = new ScriptedSource(line.getBytes(StandardCharsets.US_ASCII), 7);

        assertThatThrownBy(() -> reader.read(source, deadline()))
                .isInstanceOfSatisfying(
                        ProxyHeaderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LINE_TOO_LONG))
                .hasMessageContaining("107");
        assertThat(source.pulled()).isEqualTo(107);
    }

    @Test
    void theClientsBytesReadWithTheLineAreHandedBack() throws IOException {
        byte[] bytes = "PROXY TCP4 192.0.2.1 198.51.100.7 1234 443\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        ScriptedSource source = new ScriptedSource(bytes);

        ProxyHeaderReader.Result result = reader.read(source, deadline());

        int lineLength = "PROXY TCP4 192.0.2.1 198.51.100.7 1234 443\r\n".length();
        assertThat(new String(result.leftover(), StandardCharsets.US_ASCII))
                .isEqualTo("GET / HTTP/1.1\r\nHost: a\r\n\r\n".substring(0, source.pulled() - lineLength));
        assertThat(source.pulled()).isLessThanOrEqualTo(ProxyHeaderReader.V1_MAX_LINE);
        assertThat(result.header().clientAddress()).hasValue(new InetSocketAddress(address("192.0.2.1"), 1234));
    }

    @Test
    void aLineArrivingOneByteAtATimeIsTheSameLine() throws IOException {
        String line = "PROXY TCP6 2001:db8::7 2001:db8::1 65535 443\r\n";
        ProxyHeader whole = read(line).header();

        ScriptedSource trickle = new ScriptedSource(line.getBytes(StandardCharsets.US_ASCII), 1);
        ProxyHeaderReader.Result result = reader.read(trickle, deadline());

        assertThat(result.header()).isEqualTo(whole);
        assertThat(result.leftover()).isEmpty();
        assertThat(trickle.pulled()).isEqualTo(line.length());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            PROXY TCP4 192.0.2.1 198.51.100.7 1234 443\\n         | MALFORMED   | bare LF
            PROXY TCP4 192.0.2.1 198.51.100.7 1234 443\\rX\\n     | MALFORMED   | CR not followed by LF
            PROXY  TCP4 192.0.2.1 198.51.100.7 1234 443\\r\\n     | MALFORMED   | is no version 1 protocol
            PROXY TCP4 192.0.2.1  198.51.100.7 1234 443\\r\\n     | MALFORMED   | single-spaced
            PROXY TCP4 192.0.2.1 198.51.100.7 1234 443 \\r\\n     | MALFORMED   | single-spaced
            PROXY TCP4 192.0.2.1 198.51.100.7 1234\\r\\n          | MALFORMED   | four fields
            PROXY TCP5 192.0.2.1 198.51.100.7 1234 443\\r\\n      | MALFORMED   | 'TCP5' is no version 1 protocol
            PROXY tcp4 192.0.2.1 198.51.100.7 1234 443\\r\\n      | MALFORMED   | 'tcp4'
            PROXY UNKNOWNX\\r\\n                                  | MALFORMED   | 'UNKNOWNX'
            PROXY\\r\\n                                           | NOT_PROXY_PROTOCOL | not a PROXY header
            PROXY TCP4 192.0.2.01 198.51.100.7 1234 443\\r\\n     | BAD_ADDRESS | source address '192.0.2.01'
            PROXY TCP4 192.0.2.1 198.51.100.256 1234 443\\r\\n    | BAD_ADDRESS | destination address
            PROXY TCP4 192.0.2 198.51.100.7 1234 443\\r\\n        | BAD_ADDRESS | source address
            PROXY TCP4 2001:db8::1 198.51.100.7 1234 443\\r\\n    | BAD_ADDRESS | IPv4
            PROXY TCP6 192.0.2.1 2001:db8::2 1234 443\\r\\n       | BAD_ADDRESS | IPv6
            PROXY TCP6 2001:db8:::1 2001:db8::2 1234 443\\r\\n    | BAD_ADDRESS | IPv6
            PROXY TCP6 [2001:db8::1] 2001:db8::2 1234 443\\r\\n   | BAD_ADDRESS | IPv6
            PROXY TCP6 fe80::1%eth0 2001:db8::2 1234 443\\r\\n    | BAD_ADDRESS | IPv6
            PROXY TCP4 192.0.2.1 198.51.100.7 01234 443\\r\\n     | BAD_ADDRESS | source port '01234'
            PROXY TCP4 192.0.2.1 198.51.100.7 1234 65536\\r\\n    | BAD_ADDRESS | destination port '65536'
            PROXY TCP4 192.0.2.1 198.51.100.7 -1 443\\r\\n        | BAD_ADDRESS | source port '-1'
            PROXY TCP4 192.0.2.1 198.51.100.7 +1 443\\r\\n        | BAD_ADDRESS | source port '+1'
            PROXY TCP4 192.0.2.1 198.51.100.7 1234 443\\t\\r\\n   | MALFORMED   | byte 0x09
            """)
    void aLineThatBreaksTheGrammarIsRefusedWithItsReason(String line, Reason reason, String message) {
        String bytes = line.strip().replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");

        assertThatThrownBy(() -> read(bytes))
                .isInstanceOfSatisfying(
                        ProxyHeaderException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageStartingWith("PROXY header: ")
                .hasMessageContaining(message);
    }

    @Test
    void aByteOutsidePrintableAsciiIsRefusedAsSoonAsItArrives() {
        byte[] bytes = "PROXY TCP4 192.0.2.\u00e91 198.51.100.7 1234 443\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ScriptedSource source = new ScriptedSource(bytes, 1);

        assertThatThrownBy(() -> reader.read(source, deadline()))
                .isInstanceOfSatisfying(
                        ProxyHeaderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessageContaining("byte 0xe9 at offset 19");
        assertThat(source.pulled()).isEqualTo(20);
    }

    private ProxyHeaderReader.Result read(String text) throws IOException {
        return reader.read(new ScriptedSource(text.getBytes(StandardCharsets.ISO_8859_1)), deadline());
    }

    static long deadline() {
        return System.nanoTime() + 1_000_000_000L;
    }

    static InetAddress address(String literal) {
        return IpLiterals.parse(literal);
    }
}
