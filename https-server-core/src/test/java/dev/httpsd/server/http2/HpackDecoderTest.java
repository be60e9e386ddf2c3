package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.Hpack.decode;
import static dev.httpsd.server.http2.Hpack.fields;
import static dev.httpsd.server.http2.Hpack.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The decoder's strict rules and its limits. Every error is an {@link HpackException}, a
 * connection error of type COMPRESSION_ERROR (RFC 9113 §4.3). The h2spec cases they answer:
 *
 * <ul>
 *   <li>hpack/2.3.3 (index address space) — {@link #anIndexBeyondBothTablesIsRefused};
 *   <li>hpack/4.2 (maximum table size) — {@link #aTableSizeUpdateAfterAFieldIsRefused};
 *   <li>hpack/5.2 (string literal: EOS, padding) — {@link HuffmanTest}, {@link #aHuffmanStringWithEosIsRefused};
 *   <li>hpack/6.1 (index 0) — {@link #indexZeroIsRefused};
 *   <li>hpack/6.3 (table size update above SETTINGS_HEADER_TABLE_SIZE) — {@link #aTableSizeUpdateAboveOurLimitIsRefused};
 *   <li>http2/4.3/1 (invalid header block) — all of the above.
 * </ul>
 */
class HpackDecoderTest {

    private final HpackDecoder decoder = new HpackDecoder(4096, 8192, 8192);

    @Test
    void indexZeroIsRefused() {
        assertCompressionError("80", "index 0");
    }

    @Test
    void anIndexBeyondBothTablesIsRefused() throws Exception {
        assertCompressionError("be", "index 62 beyond the tables (61 static and 0 dynamic entries)");
        HpackDecoder withOneEntry = new HpackDecoder(4096, 8192, 8192);
        decode(withOneEntry, hex("4001 6101 62")); // a: b, indexed
        assertThat(decode(withOneEntry, hex("be"))).isEqualTo(fields("a", "b"));
        assertThatThrownBy(() -> decode(withOneEntry, hex("bf")))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("index 63");
    }

    @Test
    void aLiteralWithAnIndexedNameBeyondTheTablesIsRefused() {
        assertCompressionError("7f00 0161", "index 63");
        assertCompressionError("0f30 0161", "index 63");
    }

    @Test
    void aTableSizeUpdateAfterAFieldIsRefused() {
        assertCompressionError("8220", "dynamic table size update after the first field");
    }

    @Test
    void tableSizeUpdatesAtTheStartOfABlockAreApplied() throws Exception {
        decode(decoder, hex("4001 6101 62"));
        // 1337 with a 5-bit prefix (RFC 7541 C.1.2), then 0, then 31 (the prefix boundary: 1f00... is 3f00)
        assertThat(decode(decoder, hex("3f9a0a 20 3f00 82"))).isEqualTo(fields(":method", "GET"));
        assertThat(decoder.table().maxSize()).isEqualTo(31);
        assertThat(decoder.table().length()).isZero();
    }

    @Test
    void aTableSizeUpdateAboveOurLimitIsRefused() throws Exception {
        // 4096 = 31 + 97 + (31 << 7): allowed; 4097: refused
        decode(decoder, hex("3fe11f"));
        assertThat(decoder.table().maxSize()).isEqualTo(4096);
        assertCompressionError("3fe21f", "dynamic table size update to 4097 above the limit of 4096");
    }

    @Test
    void afterWeLowerTheLimitTheNextBlockMustStartWithAnUpdate() throws Exception {
        decoder.setMaxTableSizeLimit(100);
        assertCompressionError("82", "does not start with the required dynamic table size update");

        HpackDecoder other = new HpackDecoder(4096, 8192, 8192);
        other.setMaxTableSizeLimit(100);
        assertThatThrownBy(() -> decode(other, hex("3f46"))) // 101
                .isInstanceOf(HpackException.class);
        HpackDecoder third = new HpackDecoder(4096, 8192, 8192);
        third.setMaxTableSizeLimit(100);
        assertThat(decode(third, hex("3f45 82"))).isEqualTo(fields(":method", "GET")); // 100
        assertThat(decode(third, hex("82"))).isEqualTo(fields(":method", "GET"));
    }

    @Test
    void anEmptyBlockDecodesToNoFields() throws Exception {
        assertThat(decode(decoder, new byte[0])).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "ff80, integer truncated",
        "ff8080808080800f, integer longer than five continuation octets",
        "ffffffffff0f, integer above 2^31-1",
        "00, string literal missing",
        "4001 61, string literal missing",
        "0005 6162, runs past the end of the header block",
        "00ff, integer truncated",
        "0084ffffffff 0161, contains EOS",
    })
    void malformedRepresentationsAreRefused(String block, String problem) {
        assertCompressionError(block, problem);
    }

    @Test
    void aHuffmanStringWithEosIsRefused() {
        assertCompressionError("0084ffffffff 0161", "Huffman-encoded string contains EOS");
    }

    @Test
    void theLargestIntegerIsAccepted() throws Exception {
        // a 2^31-1 string length is read (and found to run past the end), not refused as an overflow
        assertCompressionError("007f80ffffff07", "string literal of 2147483647 octets runs past the end");
    }

    @Test
    void aListAboveTheLimitIsReadToTheEndAndReportedAfterIt() throws Exception {
        HpackDecoder small = new HpackDecoder(4096, 100, 4096);
        // three indexed-name literals with indexing: each 32 + 1 + 30 = 63 octets
        String thirty = "0123456789".repeat(3);
        HpackEncoder encoder = new HpackEncoder(4096, false);
        byte[] block = Hpack.encode(encoder, fields("a", thirty, "b", thirty, "c", thirty));
        List<HeaderField> delivered = new ArrayList<>();
        assertThatThrownBy(() -> small.decode(block, 0, block.length, (n, v) -> delivered.add(new HeaderField(n, v))))
                .isInstanceOfSatisfying(HeaderListSizeException.class, e -> {
                    assertThat(e.size()).isEqualTo(3 * 63);
                    assertThat(e.limit()).isEqualTo(100);
                });
        assertThat(delivered).isEqualTo(fields("a", thirty));
        // every entry reached the table, so the next block's indices still mean what the encoder meant
        assertThat(small.table().length()).isEqualTo(3);
        assertThat(decode(small, Hpack.encode(encoder, fields("a", thirty)))).isEqualTo(fields("a", thirty));
    }

    @Test
    void aStringAboveTheLimitIsNeverStoredAndEmptiesTheTableAsTheEncoderDid() throws Exception {
        HpackDecoder small = new HpackDecoder(256, 1024, 256);
        HpackEncoder encoder = new HpackEncoder(256, true);
        decode(small, Hpack.encode(encoder, fields("x-small", "1")));
        // with indexing, as a peer may: the entry is larger than the table, so it empties it (§4.4)
        OutputBuffer out = new OutputBuffer(512);
        encoder.beginBlock(out);
        encoder.encode(out, "x-big", "v".repeat(300), HpackEncoder.Indexing.INCREMENTAL);
        encoder.encode(out, "x-after", "2", HpackEncoder.Indexing.INCREMENTAL);
        byte[] block = out.toByteArray();
        List<HeaderField> delivered = new ArrayList<>();
        assertThatThrownBy(() -> small.decode(block, 0, block.length, (n, v) -> delivered.add(new HeaderField(n, v))))
                .isInstanceOf(HeaderListSizeException.class);
        assertThat(delivered).isEmpty();
        assertThat(Hpack.entries(small.table())).isEqualTo(Hpack.entries(encoder.table()));
        assertThat(decode(small, Hpack.encode(encoder, fields("x-after", "2", "x-small", "1"))))
                .isEqualTo(fields("x-after", "2", "x-small", "1"));
    }

    @Test
    void repeatingALargeEntryCostsNothingPastTheLimit() throws Exception {
        // an HPACK bomb: one 4000-octet entry, then 20,000 one-octet references to it (80 MB decoded)
        HpackDecoder bombed = new HpackDecoder(4096, 8192, 4096);
        OutputBuffer entry = new OutputBuffer(4096);
        new HpackEncoder(4096, false).encode(entry, "x-bomb", "b".repeat(4000), HpackEncoder.Indexing.INCREMENTAL);
        decode(bombed, entry.toByteArray());
        byte[] block = new byte[20_000];
        Arrays.fill(block, (byte) 0xbe);
        List<HeaderField> delivered = new ArrayList<>();
        assertThatThrownBy(() -> bombed.decode(block, 0, block.length, (n, v) -> delivered.add(new HeaderField(n, v))))
                .isInstanceOfSatisfying(
                        HeaderListSizeException.class, e -> assertThat(e.size()).isEqualTo(20_000L * 4038));
        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(0).value()).isSameAs(delivered.get(1).value());
    }

    @Test
    void theLimitsMustLetATableEntryBeStored() {
        assertThatThrownBy(() -> new HpackDecoder(4096, 8192, 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    private void assertCompressionError(String block, String message) {
        assertThatThrownBy(() -> decode(decoder, hex(block)))
                .isInstanceOfSatisfying(
                        HpackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.COMPRESSION_ERROR))
                .hasMessageContaining(message);
    }
}
