package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.Hpack.decode;
import static dev.httpsd.server.http2.Hpack.entries;
import static dev.httpsd.server.http2.Hpack.fields;
import static dev.httpsd.server.http2.Hpack.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.http2.HpackEncoder.Indexing;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples of RFC 7541 Appendix C, byte for byte: the decoder turns each dump into the fields
 * and the dynamic table the RFC shows, and the encoder turns the fields into the same bytes.
 *
 * <p>C.5 and C.6 use a 256-octet table that both sides agreed on beforehand; our encoder announces
 * such a change with a dynamic table size update, which the test discards before the first
 * request so that the bytes compare with the RFC's.
 */
class HpackRfcExamplesTest {

    static final String DATE_21 = "Mon, 21 Oct 2013 20:13:21 GMT";
    static final String DATE_22 = "Mon, 21 Oct 2013 20:13:22 GMT";
    static final String COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    // C.3 / C.4: three requests on one connection
    static final List<HeaderField> REQUEST_1 =
            fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com");
    static final List<HeaderField> REQUEST_2 = fields(
            ":method",
            "GET",
            ":scheme",
            "http",
            ":path",
            "/",
            ":authority",
            "www.example.com",
            "cache-control",
            "no-cache");
    static final List<HeaderField> REQUEST_3 = fields(
            ":method",
            "GET",
            ":scheme",
            "https",
            ":path",
            "/index.html",
            ":authority",
            "www.example.com",
            "custom-key",
            "custom-value");

    // C.5 / C.6: three responses on one connection, 256-octet table
    static final List<HeaderField> RESPONSE_1 = fields(
            ":status", "302", "cache-control", "private", "date", DATE_21, "location", "https://www.example.com");
    static final List<HeaderField> RESPONSE_2 = fields(
            ":status", "307", "cache-control", "private", "date", DATE_21, "location", "https://www.example.com");
    static final List<HeaderField> RESPONSE_3 = fields(
            ":status",
            "200",
            "cache-control",
            "private",
            "date",
            DATE_22,
            "location",
            "https://www.example.com",
            "content-encoding",
            "gzip",
            "set-cookie",
            COOKIE);

    static final String C3_1 = "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d";
    static final String C3_2 = "8286 84be 5808 6e6f 2d63 6163 6865";
    static final String C3_3 = "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65";
    static final String C4_1 = "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff";
    static final String C4_2 = "8286 84be 5886 a8eb 1064 9cbf";
    static final String C4_3 = "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf";
    static final String C5_1 = """
            4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a
            3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d""";
    static final String C5_2 = "4803 3330 37c1 c0bf";
    static final String C5_3 = """
            88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04
            677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49
            553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31""";
    static final String C6_1 = """
            4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e
            919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3""";
    static final String C6_2 = "4883 640e ffc1 c0bf";
    static final String C6_3 = """
            88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7
            821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed
            4ee5 b106 3d50 07""";

    private final HpackDecoder decoder = new HpackDecoder(4096, 65536, 65536);

    @Test
    void c2_1aLiteralWithIndexingIsAddedToTheDynamicTable() throws Exception {
        byte[] block = hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
        assertThat(decode(decoder, block)).isEqualTo(fields("custom-key", "custom-header"));
        assertThat(entries(decoder.table())).isEqualTo(fields("custom-key", "custom-header"));
        assertThat(decoder.table().size()).isEqualTo(55);

        assertThat(encodeWith(new HpackEncoder(4096, false), "custom-key", "custom-header", Indexing.INCREMENTAL))
                .isEqualTo(hex(block));
    }

    @Test
    void c2_2aLiteralWithoutIndexingLeavesTheTableEmpty() throws Exception {
        byte[] block = hex("040c 2f73 616d 706c 652f 7061 7468");
        assertThat(decode(decoder, block)).isEqualTo(fields(":path", "/sample/path"));
        assertThat(decoder.table().length()).isZero();

        assertThat(encodeWith(new HpackEncoder(4096, false), ":path", "/sample/path", Indexing.WITHOUT))
                .isEqualTo(hex(block));
    }

    @Test
    void c2_3aNeverIndexedLiteralLeavesTheTableEmpty() throws Exception {
        byte[] block = hex("1008 7061 7373 776f 7264 0673 6563 7265 74");
        assertThat(decode(decoder, block)).isEqualTo(fields("password", "secret"));
        assertThat(decoder.table().length()).isZero();

        assertThat(encodeWith(new HpackEncoder(4096, false), "password", "secret", Indexing.NEVER))
                .isEqualTo(hex(block));
    }

    @Test
    void c2_4anIndexedFieldComesFromTheStaticTable() throws Exception {
        assertThat(decode(decoder, hex("82"))).isEqualTo(fields(":method", "GET"));
        assertThat(decoder.table().length()).isZero();
        assertThat(Hpack.encode(new HpackEncoder(4096, false), fields(":method", "GET")))
                .isEqualTo(hex("82"));
    }

    @Test
    void c3_requestsWithoutHuffmanDecodeAndEncodeAsTheRfcShows() throws Exception {
        assertThat(decode(decoder, hex(C3_1))).isEqualTo(REQUEST_1);
        assertTable(decoder.table(), 57, ":authority", "www.example.com");
        assertThat(decode(decoder, hex(C3_2))).isEqualTo(REQUEST_2);
        assertTable(decoder.table(), 110, "cache-control", "no-cache", ":authority", "www.example.com");
        assertThat(decode(decoder, hex(C3_3))).isEqualTo(REQUEST_3);
        assertTable(
                decoder.table(),
                164,
                "custom-key",
                "custom-value",
                "cache-control",
                "no-cache",
                ":authority",
                "www.example.com");

        HpackEncoder encoder = new HpackEncoder(4096, false);
        assertThat(hex(Hpack.encode(encoder, REQUEST_1))).isEqualTo(hex(hex(C3_1)));
        assertThat(hex(Hpack.encode(encoder, REQUEST_2))).isEqualTo(hex(hex(C3_2)));
        assertThat(hex(Hpack.encode(encoder, REQUEST_3))).isEqualTo(hex(hex(C3_3)));
        assertThat(entries(encoder.table())).isEqualTo(entries(decoder.table()));
    }

    @Test
    void c4_requestsWithHuffmanDecodeAndEncodeAsTheRfcShows() throws Exception {
        assertThat(decode(decoder, hex(C4_1))).isEqualTo(REQUEST_1);
        assertTable(decoder.table(), 57, ":authority", "www.example.com");
        assertThat(decode(decoder, hex(C4_2))).isEqualTo(REQUEST_2);
        assertTable(decoder.table(), 110, "cache-control", "no-cache", ":authority", "www.example.com");
        assertThat(decode(decoder, hex(C4_3))).isEqualTo(REQUEST_3);
        assertTable(
                decoder.table(),
                164,
                "custom-key",
                "custom-value",
                "cache-control",
                "no-cache",
                ":authority",
                "www.example.com");

        HpackEncoder encoder = new HpackEncoder(4096, true);
        assertThat(hex(Hpack.encode(encoder, REQUEST_1))).isEqualTo(hex(hex(C4_1)));
        assertThat(hex(Hpack.encode(encoder, REQUEST_2))).isEqualTo(hex(hex(C4_2)));
        assertThat(hex(Hpack.encode(encoder, REQUEST_3))).isEqualTo(hex(hex(C4_3)));
    }

    @Test
    void c5_responsesWithoutHuffmanEvictFromA256OctetTable() throws Exception {
        HpackDecoder small = new HpackDecoder(256, 65536, 65536);
        assertThat(decode(small, hex(C5_1))).isEqualTo(RESPONSE_1);
        assertTable(
                small.table(),
                222,
                "location",
                "https://www.example.com",
                "date",
                DATE_21,
                "cache-control",
                "private",
                ":status",
                "302");
        assertThat(decode(small, hex(C5_2))).isEqualTo(RESPONSE_2);
        assertTable(
                small.table(),
                222,
                ":status",
                "307",
                "location",
                "https://www.example.com",
                "date",
                DATE_21,
                "cache-control",
                "private");
        assertThat(decode(small, hex(C5_3))).isEqualTo(RESPONSE_3);
        assertTable(small.table(), 215, "set-cookie", COOKIE, "content-encoding", "gzip", "date", DATE_22);

        assertThat(encodeResponses(new HpackEncoder(256, false)))
                .containsExactly(hex(hex(C5_1)), hex(hex(C5_2)), hex(hex(C5_3)));
    }

    @Test
    void c6_responsesWithHuffmanEvictFromA256OctetTable() throws Exception {
        HpackDecoder small = new HpackDecoder(256, 65536, 65536);
        assertThat(decode(small, hex(C6_1))).isEqualTo(RESPONSE_1);
        assertThat(small.table().size()).isEqualTo(222);
        assertThat(decode(small, hex(C6_2))).isEqualTo(RESPONSE_2);
        assertThat(small.table().size()).isEqualTo(222);
        assertThat(decode(small, hex(C6_3))).isEqualTo(RESPONSE_3);
        assertTable(small.table(), 215, "set-cookie", COOKIE, "content-encoding", "gzip", "date", DATE_22);

        assertThat(encodeResponses(new HpackEncoder(256, true)))
                .containsExactly(hex(hex(C6_1)), hex(hex(C6_2)), hex(hex(C6_3)));
    }

    /**
     * Encodes C.5's three responses. The third indexes set-cookie as the RFC does, which our policy
     * never does on its own (see {@link HpackEncoderTest}), so it is asked for explicitly.
     */
    private static List<String> encodeResponses(HpackEncoder encoder) {
        encoder.beginBlock(new OutputBuffer(8)); // the size both sides agreed on beforehand
        String first = hex(Hpack.encode(encoder, RESPONSE_1));
        String second = hex(Hpack.encode(encoder, RESPONSE_2));
        OutputBuffer out = new OutputBuffer(64);
        encoder.beginBlock(out);
        for (HeaderField field : RESPONSE_3.subList(0, 5)) {
            encoder.encode(out, field.name(), field.value());
        }
        encoder.encode(out, "set-cookie", COOKIE, Indexing.INCREMENTAL);
        return List.of(first, second, hex(out.toByteArray()));
    }

    private static String encodeWith(HpackEncoder encoder, String name, String value, Indexing indexing) {
        OutputBuffer out = new OutputBuffer(16);
        encoder.beginBlock(out);
        encoder.encode(out, name, value, indexing);
        return hex(out.toByteArray());
    }

    private static void assertTable(HpackDynamicTable table, int size, String... newestFirst) {
        assertThat(entries(table)).isEqualTo(fields(newestFirst));
        assertThat(table.size()).isEqualTo(size);
    }
}
