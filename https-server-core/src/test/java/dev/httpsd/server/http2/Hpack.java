package dev.httpsd.server.http2;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers for HPACK: hex dumps as the RFC prints them, decoding to a list, encoding a list. */
final class Hpack {

    private static final HexFormat HEX = HexFormat.of();

    private Hpack() {}

    /** Bytes from a hex dump such as RFC 7541 Appendix C prints ("8286 8441 0f77"). */
    static byte[] hex(String dump) {
        return HEX.parseHex(dump.replaceAll("\\s+", ""));
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static List<HeaderField> fields(String... namesAndValues) {
        List<HeaderField> fields = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(new HeaderField(namesAndValues[i], namesAndValues[i + 1]));
        }
        return fields;
    }

    static List<HeaderField> decode(HpackDecoder decoder, byte[] block) throws HpackException, HeaderListSizeException {
        List<HeaderField> fields = new ArrayList<>();
        decoder.decode(block, 0, block.length, (name, value) -> fields.add(new HeaderField(name, value)));
        return fields;
    }

    static byte[] encode(HpackEncoder encoder, List<HeaderField> fields) {
        OutputBuffer out = new OutputBuffer(64);
        encoder.beginBlock(out);
        for (HeaderField field : fields) {
            encoder.encode(out, field.name(), field.value());
        }
        return out.toByteArray();
    }

    /** The dynamic table's entries, newest first. */
    static List<HeaderField> entries(HpackDynamicTable table) {
        List<HeaderField> entries = new ArrayList<>();
        for (int i = 1; i <= table.length(); i++) {
            entries.add(new HeaderField(table.name(i), table.value(i)));
        }
        return entries;
    }
}
