package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.Hpack.decode;
import static dev.httpsd.server.http2.Hpack.encode;
import static dev.httpsd.server.http2.Hpack.fields;
import static dev.httpsd.server.http2.Hpack.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The encoder's choice of representation and its dynamic table size signalling (RFC 7541 §4.2, §6, §7.1). */
class HpackEncoderTest {

    private final HpackEncoder encoder = new HpackEncoder(4096, false);
    private final HpackDecoder decoder = new HpackDecoder(4096, 65536, 65536);

    @ParameterizedTest
    @ValueSource(strings = {"authorization", "proxy-authorization", "set-cookie"})
    void credentialsAreNeverIndexedAndStayOutOfTheTable(String name) throws Exception {
        byte[] first = encode(encoder, fields(name, "secret-value-long-enough-to-matter"));
        byte[] second = encode(encoder, fields(name, "secret-value-long-enough-to-matter"));
        assertThat(first[0] & 0xf0).as("never-indexed literal 0001xxxx").isEqualTo(0x10);
        assertThat(second).isEqualTo(first);
        assertThat(encoder.table().length()).isZero();
        assertThat(decode(decoder, first)).isEqualTo(fields(name, "secret-value-long-enough-to-matter"));
    }

    @Test
    void shortCookiesAreNeverIndexedAndLongOnesAre() {
        assertThat(encoder.indexingFor("cookie", "sid=1234")).isEqualTo(HpackEncoder.Indexing.NEVER);
        assertThat(encoder.indexingFor("cookie", "preferences=dark-mode; lang=en"))
                .isEqualTo(HpackEncoder.Indexing.INCREMENTAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"content-length", "content-range", "etag", "last-modified", "age"})
    void perResponseValuesAreNotIndexed(String name) {
        byte[] block = encode(encoder, fields(name, "12345"));
        assertThat(block[0] & 0xf0).as("literal without indexing 0000xxxx").isZero();
        assertThat(encoder.table().length()).isZero();
    }

    @Test
    void repeatedFieldsBecomeOneOctetIndices() throws Exception {
        byte[] first = encode(encoder, fields("date", "Mon, 21 Oct 2013 20:13:21 GMT", "server", "httpsd"));
        byte[] second = encode(encoder, fields("date", "Mon, 21 Oct 2013 20:13:21 GMT", "server", "httpsd"));
        assertThat(hex(second)).isEqualTo("bfbe");
        decode(decoder, first);
        assertThat(decode(decoder, second))
                .isEqualTo(fields("date", "Mon, 21 Oct 2013 20:13:21 GMT", "server", "httpsd"));
    }

    @Test
    void staticTableMatchesAreIndexed() {
        assertThat(hex(encode(encoder, fields(":status", "200", ":status", "404"))))
                .isEqualTo("888d");
    }

    @Test
    void aFieldTakingMostOfTheTableIsNotIndexed() {
        encode(encoder, fields("x-kept", "1"));
        encode(encoder, fields("x-huge", "h".repeat(3100)));
        assertThat(Hpack.entries(encoder.table())).isEqualTo(fields("x-kept", "1"));
    }

    @Test
    void namesAreFoldedToLowercase() throws Exception {
        byte[] block = encode(encoder, fields("Content-Type", "text/plain", "X-Request-ID", "abc"));
        assertThat(decode(decoder, block)).isEqualTo(fields("content-type", "text/plain", "x-request-id", "abc"));
        assertThat(HpackEncoder.lowercase("already-lower")).isSameAs("already-lower");
    }

    @Test
    void aSmallerPeerTableIsAnnouncedAtTheStartOfTheNextBlock() throws Exception {
        encode(encoder, fields("x-a", "1"));
        encoder.setPeerMaxTableSize(0);
        encoder.setPeerMaxTableSize(100);
        byte[] block = encode(encoder, fields(":method", "GET"));
        // the smallest size in between (0), then the final one (100 = 31 + 69), then the field
        assertThat(hex(block)).isEqualTo("20" + "3f45" + "82");
        assertThat(encoder.table().maxSize()).isEqualTo(100);
        assertThat(hex(encode(encoder, fields(":method", "GET")))).isEqualTo("82");

        decode(decoder, encode(new HpackEncoder(4096, false), fields("x-a", "1")));
        decoder.setMaxTableSizeLimit(100);
        assertThat(decode(decoder, block)).isEqualTo(fields(":method", "GET"));
        assertThat(decoder.table().length()).isZero();
    }

    @Test
    void aLargerPeerTableThanOurCapKeepsOurCap() {
        encoder.setPeerMaxTableSize(1L << 20);
        assertThat(hex(encode(encoder, fields(":method", "GET")))).isEqualTo("82");
        assertThat(encoder.table().maxSize()).isEqualTo(4096);
    }

    @Test
    void aCapBelowTheDefaultIsAnnouncedInTheFirstBlock() {
        HpackEncoder small = new HpackEncoder(1024, false);
        // 1024 = 31 + 993: e1 07
        assertThat(hex(encode(small, fields(":method", "GET")))).isEqualTo("3fe107" + "82");
        HpackEncoder none = new HpackEncoder(0, false);
        assertThat(hex(encode(none, fields("x-a", "1")))).startsWith("20" + "00");
        assertThat(none.table().length()).isZero();
    }

    @Test
    void largeIntegersUseContinuationOctets() {
        OutputBuffer out = new OutputBuffer(4);
        HpackEncoder.writeInteger(out, 0x00, 5, 10);
        HpackEncoder.writeInteger(out, 0x00, 5, 1337);
        HpackEncoder.writeInteger(out, 0x00, 8, 42);
        HpackEncoder.writeInteger(out, 0x80, 7, Integer.MAX_VALUE);
        // RFC 7541 C.1.1, C.1.2, C.1.3, then 2^31-1 after a 7-bit prefix
        assertThat(hex(out.toByteArray())).isEqualTo("0a" + "1f9a0a" + "2a" + "ff80ffffff07");
    }

    @Test
    void textOutsideIso88591IsRefused() {
        assertThatThrownBy(() -> encode(encoder, fields("x-name", "\u20ac")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
