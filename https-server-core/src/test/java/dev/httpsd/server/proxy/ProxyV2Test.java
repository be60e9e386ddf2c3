package dev.httpsd.server.proxy;

import static dev.httpsd.server.proxy.ProxyHeaderWriter.concat;
import static dev.httpsd.server.proxy.ProxyHeaderWriter.hex;
import static dev.httpsd.server.proxy.ProxyV1Test.address;
import static dev.httpsd.server.proxy.ProxyV1Test.deadline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.proxy.ProxyHeader.Command;
import dev.httpsd.server.proxy.ProxyHeader.Family;
import dev.httpsd.server.proxy.ProxyHeader.SslInfo;
import dev.httpsd.server.proxy.ProxyHeader.Tlv;
import dev.httpsd.server.proxy.ProxyHeader.Transport;
import dev.httpsd.server.proxy.ProxyHeaderException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Version 2 headers from bytes: families, commands, every registered TLV, and each way to break them. */
class ProxyV2Test {

    /** The 16-byte fixed part up to the family byte: signature, then version 2 / PROXY. */
    private static final String SIGNATURE = "0d0a0d0a000d0a515549540a";

    private static final String TCP4_ADDRESSES = "c0000201 c6336407 04d2 01bb"; // 192.0.2.1:1234 -> 198.51.100.7:443

    private final ProxyHeaderReader reader = new ProxyHeaderReader();

    @Test
    void tcpOverIpv4GivesTheClientAndServerAddresses() throws IOException {
        ProxyHeader header = read(header(0x21, 0x11, hex(TCP4_ADDRESSES)));

        assertThat(header.version()).isEqualTo(2);
        assertThat(header.command()).isEqualTo(Command.PROXY);
        assertThat(header.family()).isEqualTo(Family.INET);
        assertThat(header.transport()).isEqualTo(Transport.STREAM);
        assertThat(header.clientAddress()).hasValue(new InetSocketAddress(address("192.0.2.1"), 1234));
        assertThat(header.serverAddress()).hasValue(new InetSocketAddress(address("198.51.100.7"), 443));
        assertThat(header.checksumVerified()).isFalse();
        assertThat(header.ssl()).isEmpty();
    }

    @Test
    void tcpOverIpv6GivesTheClientAndServerAddresses() throws IOException {
        ProxyHeader header = read(
                header(0x21, 0x21, hex("20010db8000000000000000000000001 20010db8000000000000000000000002 ffff 20fb")));

        assertThat(header.family()).isEqualTo(Family.INET6);
        assertThat(header.clientAddress()).hasValue(new InetSocketAddress(address("2001:db8::1"), 65535));
        assertThat(header.serverAddress()).hasValue(new InetSocketAddress(address("2001:db8::2"), 8443));
    }

    @Test
    void udpIsReportedAsDatagramsWithItsAddresses() throws IOException {
        ProxyHeader header = read(header(0x21, 0x12, hex(TCP4_ADDRESSES)));

        assertThat(header.transport()).isEqualTo(Transport.DGRAM);
        assertThat(header.clientAddress()).hasValue(new InetSocketAddress(address("192.0.2.1"), 1234));
    }

    @Test
    void unixSocketsGiveTheirPathsAndNoClientAddress() throws IOException {
        byte[] source = Arrays.copyOf("/run/lb.sock".getBytes(StandardCharsets.US_ASCII), 108);
        byte[] destination = Arrays.copyOf(concat(new byte[1], "lb-abstract".getBytes(StandardCharsets.US_ASCII)), 108);

        ProxyHeader header = read(header(0x21, 0x31, concat(source, destination)));

        assertThat(header.family()).isEqualTo(Family.UNIX);
        assertThat(header.source()).hasValue(UnixDomainSocketAddress.of("/run/lb.sock"));
        assertThat(header.destination()).hasValue(UnixDomainSocketAddress.of("@lb-abstract"));
        assertThat(header.clientAddress()).isEmpty();
    }

    @Test
    void localIsTheBalancersOwnConnectionAndItsAddressBlockIsSkipped() throws IOException {
        ProxyHeader bare = read(header(0x20, 0x00, new byte[0]));
        assertThat(bare.command()).isEqualTo(Command.LOCAL);
        assertThat(bare.family()).isEqualTo(Family.UNSPEC);
        assertThat(bare.clientAddress()).isEmpty();

        // a LOCAL header may still carry a family and addresses: they are skipped, the TLVs read
        ProxyHeader withAddresses = read(header(0x20, 0x11, concat(hex(TCP4_ADDRESSES), tlv(0x02, "lb.example"))));
        assertThat(withAddresses.command()).isEqualTo(Command.LOCAL);
        assertThat(withAddresses.source()).isEmpty();
        assertThat(withAddresses.clientAddress()).isEmpty();
        assertThat(withAddresses.authority()).hasValue("lb.example");
    }

    @Test
    void proxyWithAnUnspecifiedFamilyLeavesTheConnectionsAddresses() throws IOException {
        ProxyHeader header = read(header(0x21, 0x00, tlv(0xe0, "custom")));

        assertThat(header.command()).isEqualTo(Command.PROXY);
        assertThat(header.family()).isEqualTo(Family.UNSPEC);
        assertThat(header.transport()).isEqualTo(Transport.UNSPEC);
        assertThat(header.clientAddress()).isEmpty();
        assertThat(header.otherTlvs()).containsExactly(new Tlv(0xe0, "custom".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void everyRegisteredTlvIsDecodedNoopsSkippedAndOthersKept() throws IOException {
        byte[] ssl = concat(
                hex("07 00000000"),
                concat(
                        concat(tlv(0x21, "TLSv1.3"), tlv(0x22, "client \u00e9t\u00e9")),
                        concat(
                                concat(tlv(0x23, "TLS_AES_128_GCM_SHA256"), tlv(0x24, "RSA-SHA256")),
                                concat(tlv(0x25, "RSA2048"), concat(tlv(0x04, ""), tlv(0x26, "future"))))));
        byte[] fields = concat(
                concat(tlv(0x01, "h2"), tlv(0x02, "b\u00fccher.example")),
                concat(
                        concat(tlv(0x04, "\0\0\0\0"), tlv(0x05, "id-42")),
                        concat(tlv(0x20, ssl), concat(tlv(0x30, "blue"), tlv(0xf0, hex("0102"))))));

        ProxyHeader header = read(header(0x21, 0x11, concat(hex(TCP4_ADDRESSES), fields)));

        assertThat(header.alpn()).hasValue("h2");
        assertThat(header.authority()).hasValue("b\u00fccher.example");
        assertThat(header.uniqueId())
                .hasValueSatisfying(id -> assertThat(id).isEqualTo("id-42".getBytes(StandardCharsets.US_ASCII)));
        assertThat(header.netns()).hasValue("blue");
        assertThat(header.otherTlvs()).containsExactly(new Tlv(0xf0, hex("0102")));
        assertThat(header.ssl())
                .hasValue(new SslInfo(
                        true,
                        true,
                        true,
                        0,
                        "TLSv1.3",
                        "client \u00e9t\u00e9",
                        "TLS_AES_128_GCM_SHA256",
                        "RSA-SHA256",
                        "RSA2048",
                        List.of(new Tlv(0x26, "future".getBytes(StandardCharsets.US_ASCII)))));
        assertThat(header.ssl().orElseThrow().clientCertificateVerified()).isTrue();
    }

    @Test
    void aFailedClientCertificateVerificationIsReported() throws IOException {
        ProxyHeader header = read(header(0x21, 0x00, tlv(0x20, hex("03 00000015"))));

        SslInfo ssl = header.ssl().orElseThrow();
        assertThat(ssl.clientSsl()).isTrue();
        assertThat(ssl.certificateOnConnection()).isTrue();
        assertThat(ssl.certificateInSession()).isFalse();
        assertThat(ssl.verifyResult()).isEqualTo(0x15);
        assertThat(ssl.clientCertificateVerified()).isFalse();
        assertThat(ssl.version()).isNull();
    }

    @Test
    void aMatchingCrc32cIsVerified() throws IOException {
        byte[] withCrc = withChecksum(header(0x21, 0x11, concat(hex(TCP4_ADDRESSES), tlv(0x03, new byte[4]))));

        assertThat(read(withCrc).checksumVerified()).isTrue();
    }

    @Test
    void aVersion2HeaderIsReadExactlyLeavingTheClientsBytesInTheSource() throws IOException {
        byte[] header = header(0x21, 0x11, concat(hex(TCP4_ADDRESSES), tlv(0x01, "http/1.1")));
        byte[] clientHello = hex("16030100 c8 01 0000c4 0303");
        ScriptedSource source = new ScriptedSource(concat(header, clientHello));

        ProxyHeaderReader.Result result = reader.read(source, deadline());

        assertThat(result.leftover()).isEmpty();
        assertThat(source.pulled()).isEqualTo(header.length);
        assertThat(result.header().alpn()).hasValue("http/1.1");
    }

    @ParameterizedTest(name = "read {0} bytes at a time")
    @ValueSource(ints = {1, 2, 3, 7, 15, 16, 17, 64})
    void aHeaderSplitOverManyReadsIsTheSameHeader(int readSize) throws IOException {
        byte[] header = withChecksum(header(
                0x21, 0x11, concat(concat(hex(TCP4_ADDRESSES), tlv(0x02, "example.com")), tlv(0x03, new byte[4]))));

        ScriptedSource source =
                new ScriptedSource(concat(header, "rest".getBytes(StandardCharsets.US_ASCII)), readSize);
        ProxyHeaderReader.Result result = reader.read(source, deadline());

        assertThat(result.header()).isEqualTo(read(header));
        assertThat(source.pulled()).isEqualTo(header.length);
    }

    @Test
    void aHeaderAnnouncingMoreThanTheLimitIsRefusedBeforeItsBodyIsRead() {
        ProxyHeaderReader small = new ProxyHeaderReader(ProxyHeaderReader.MIN_MAX_HEADER_BYTES);
        byte[] header = header(0x21, 0x00, tlv(0xe0, new byte[300]));
        ScriptedSource source = new ScriptedSource(header);

        assertThatThrownBy(() -> small.read(source, deadline()))
                .isInstanceOfSatisfying(
                        ProxyHeaderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HEADER_TOO_LONG))
                .hasMessageContaining("announces 319 bytes, more than the limit of 232");
        assertThat(source.pulled()).isEqualTo(16);
    }

    @Test
    void theLimitMustLeaveRoomForEveryAddressBlock() {
        assertThatThrownBy(() -> new ProxyHeaderReader(231))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 232 bytes (the largest address block) and 65551, not 231");
        assertThatThrownBy(() -> new ProxyHeaderReader(65552)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            11 | 11 | version 1 after the version 2 signature              | MALFORMED
            22 | 11 | command 2 (only LOCAL 0 and PROXY 1 are defined)      | MALFORMED
            2f | 11 | command 15                                           | MALFORMED
            21 | 13 | family and transport byte 0x13                       | MALFORMED
            21 | 10 | family and transport byte 0x10                       | MALFORMED
            21 | 01 | family and transport byte 0x01                       | MALFORMED
            21 | 41 | family and transport byte 0x41                       | MALFORMED
            """)
    void anUndefinedVersionCommandOrFamilyIsRefused(
            String versionCommand, String family, String message, Reason reason) {
        byte[] header = header(Integer.parseInt(versionCommand, 16), Integer.parseInt(family, 16), hex(TCP4_ADDRESSES));

        assertRefused(header, reason, message);
    }

    @Test
    void aLengthShorterThanTheAddressBlockIsRefused() {
        assertRefused(
                header(0x21, 0x21, hex(TCP4_ADDRESSES)),
                Reason.MALFORMED,
                "length 12 is shorter than the INET6 address block of 36 bytes");
    }

    @Test
    void aSignatureWrongInOneByteIsNoProxyHeader() {
        byte[] header = header(0x21, 0x11, hex(TCP4_ADDRESSES));
        header[7] = 'q';

        assertRefused(header, Reason.NOT_PROXY_PROTOCOL, "the connection begins with 0d0a0d0a000d0a71");
    }

    @Test
    void aTlsClientHelloInsteadOfAHeaderIsRecognisedAtItsFirstByte() {
        ScriptedSource source = new ScriptedSource(hex("16030100c8010000c40303"), 1);

        assertThatThrownBy(() -> reader.read(source, deadline()))
                .isInstanceOfSatisfying(
                        ProxyHeaderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_PROXY_PROTOCOL))
                .hasMessageContaining("a TLS handshake: the client connected directly");
        assertThat(source.pulled()).isEqualTo(1);
    }

    @Test
    void anHttpRequestInsteadOfAHeaderIsRecognised() {
        assertRefused(
                "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII),
                Reason.NOT_PROXY_PROTOCOL,
                "plain text, an HTTP request perhaps");
        assertRefused(
                "POST / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII),
                Reason.NOT_PROXY_PROTOCOL,
                "not a PROXY header");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            01 0000                                   | the ALPN TLV is empty
            01 0005 6832                              | TLV type 0x01 announces 5 bytes, only 2 are left
            01 00                                     | 2 bytes left where a TLV needs at least 3
            01 0002 6832 01 0002 6832                 | TLV type 0x01 appears twice
            02 0002 c328                              | the authority is not valid UTF-8
            02 0003 61 0a 62                          | the authority holds a control character
            03 0003 000000                            | a CRC32C TLV holds 4 bytes, not 3
            05 0081 %s                                | a unique id has at most 128 bytes, not 129
            20 0004 01000000                          | an SSL TLV starts with a client byte and a 4-byte verify result, got 4 bytes
            20 0008 01 00000000 21 0009               | SSL sub-TLV type 0x21 announces 9 bytes, only 0 are left
            20 000d 01 00000000 21 0001 41 21 0001 42 | SSL sub-TLV type 0x21 appears twice
            20 000a 01 00000000 21 0002 54ff          | the SSL version TLV holds byte 0xff: it is printable US-ASCII
            20 0008 01 00000000 23 0000               | the SSL cipher TLV is empty
            30 0002 6eff                              | the network namespace TLV holds byte 0xff
            """)
    void aBrokenTlvIsRefusedWithWhatIsWrong(String fields, String message) {
        String bytes = fields.formatted("00".repeat(129));

        assertRefused(header(0x21, 0x11, concat(hex(TCP4_ADDRESSES), hex(bytes))), Reason.BAD_TLV, message);
    }

    @Test
    void aCrc32cThatDoesNotMatchRefusesTheHeader() {
        byte[] header = withChecksum(header(0x21, 0x11, concat(hex(TCP4_ADDRESSES), tlv(0x03, new byte[4]))));
        header[17] ^= 1; // the source address changed on the way

        assertRefused(header, Reason.CHECKSUM_MISMATCH, "the CRC32C TLV says");
    }

    @Test
    void anUnnamedUnixSocketHasNoAddress() throws IOException {
        byte[] destination = Arrays.copyOf("/run/lb.sock".getBytes(StandardCharsets.US_ASCII), 108);

        ProxyHeader header = read(header(0x21, 0x31, concat(new byte[108], destination)));

        assertThat(header.source()).isEmpty();
        assertThat(header.destination()).hasValue(UnixDomainSocketAddress.of("/run/lb.sock"));
    }

    @Test
    void aUnixPathThatWouldReadAsAnAbstractNameIsRefused() {
        byte[] source = Arrays.copyOf("@lb".getBytes(StandardCharsets.US_ASCII), 108);

        assertRefused(
                header(0x21, 0x31, concat(source, new byte[108])),
                Reason.BAD_ADDRESS,
                "the Unix source path '@lb' begins with @, which would read as an abstract name");
    }

    @Test
    void aConnectionClosingMidHeaderIsReportedWithHowMuchArrived() {
        byte[] header = header(0x21, 0x11, hex(TCP4_ADDRESSES));

        assertRefused(Arrays.copyOf(header, 20), Reason.CLOSED, "the connection closed after 20 bytes of it");
        assertRefused(new byte[0], Reason.CLOSED, "the connection closed before sending one");
    }

    @Test
    void aHeaderIncompleteAtTheDeadlineIsATimeout() {
        byte[] header = header(0x21, 0x11, hex(TCP4_ADDRESSES));
        ScriptedSource late = new ScriptedSource(Arrays.copyOf(header, 10)).timeOutAtEnd();

        assertThatThrownBy(() -> reader.read(late, deadline()))
                .isInstanceOfSatisfying(
                        ProxyHeaderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT))
                .hasMessage("PROXY header: incomplete when the time ran out (10 bytes arrived)");
        assertThatThrownBy(() -> reader.read(new ScriptedSource(new byte[0]).timeOutAtEnd(), deadline()))
                .hasMessage("PROXY header: none arrived in time");
    }

    private void assertRefused(byte[] bytes, Reason reason, String message) {
        assertThatThrownBy(() -> read(bytes))
                .isInstanceOfSatisfying(
                        ProxyHeaderException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }

    private ProxyHeader read(byte[] bytes) throws IOException {
        return reader.read(new ScriptedSource(bytes), deadline()).header();
    }

    /** A version 2 header: the signature, the version/command and family bytes, the length, the body. */
    static byte[] header(int versionCommand, int family, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(hex(SIGNATURE));
        out.write(versionCommand);
        out.write(family);
        out.write(body.length >> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] tlv(int type, String value) {
        return tlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] tlv(int type, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProxyHeaderWriter.tlv(out, type, value);
        return out.toByteArray();
    }

    /** Fills in the CRC32C field, which must be the header's last four bytes. */
    static byte[] withChecksum(byte[] header) {
        byte[] copy = header.clone();
        Arrays.fill(copy, copy.length - 4, copy.length, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(copy);
        long value = crc.getValue();
        for (int i = 0; i < 4; i++) {
            copy[copy.length - 4 + i] = (byte) (value >> (24 - 8 * i));
        }
        return copy;
    }
}
