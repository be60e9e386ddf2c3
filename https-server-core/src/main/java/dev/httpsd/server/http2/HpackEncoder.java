package dev.httpsd.server.http2;

import java.util.Locale;

/**
 * Encodes header blocks (RFC 7541 §3, §6) with one dynamic table per connection. The connection's
 * single writer owns it: the peer's decoder follows our table in the order blocks reach the wire,
 * so blocks must be encoded in the order they are written.
 *
 * <p>Representation per field ({@link #indexingFor}): an exact match in the static or dynamic
 * table is sent as an index; otherwise a literal with the name as an index when it is in a table,
 * and
 *
 * <ul>
 *   <li><b>never indexed</b> (§6.2.3) for credentials: {@code authorization}, {@code
 *       proxy-authorization}, {@code set-cookie}, and {@code cookie} values under 20 octets, which
 *       §7.1.3 names as guessable by probing the table;
 *   <li><b>without indexing</b> (§6.2.2) for values that change with every response ({@code
 *       content-length}, {@code content-range}, {@code etag}, {@code last-modified}, {@code age}),
 *       which would only push useful entries out, and for fields taking more than three quarters
 *       of the table;
 *   <li><b>with incremental indexing</b> (§6.2.1) otherwise: {@code date}, {@code content-type},
 *       {@code server}, {@code :status} values outside the static table and such repeat across
 *       responses of one connection.
 * </ul>
 *
 * <p>Strings are Huffman-coded unless that makes them longer (as RFC 7541 C.6 does; switchable
 * for tests). The table is at most
 * the smaller of the peer's SETTINGS_HEADER_TABLE_SIZE and our own cap; changes are signalled
 * at the start of the next block (§4.2), the smallest size first when it went down and up again.
 * Encoding allocates nothing unless a name has uppercase letters to fold (RFC 9113 §8.2).
 */
final class HpackEncoder {

    /** The three literal representations of RFC 7541 §6.2. */
    enum Indexing {
        INCREMENTAL,
        WITHOUT,
        NEVER
    }

    /** The peer's table size until its SETTINGS say otherwise (RFC 9113 §6.5.2). */
    static final int DEFAULT_TABLE_SIZE = 4096;

    private static final int SHORT_COOKIE = 20;

    private final HpackDynamicTable table;
    private final int maxTableSizeCap;
    private final boolean huffman;

    /** The smallest size the table had since the last block, or -1 when no update is due. */
    private int pendingMinimum = -1;

    /**
     * @param maxTableSizeCap the largest dynamic table we keep, whatever the peer allows
     * @param huffman whether to Huffman-code strings when that makes them shorter
     */
    HpackEncoder(int maxTableSizeCap, boolean huffman) {
        if (maxTableSizeCap < 0) {
            throw new IllegalArgumentException("table size cap " + maxTableSizeCap);
        }
        this.maxTableSizeCap = maxTableSizeCap;
        this.huffman = huffman;
        this.table = new HpackDynamicTable(DEFAULT_TABLE_SIZE);
        if (maxTableSizeCap < DEFAULT_TABLE_SIZE) {
            resize(maxTableSizeCap);
        }
    }

    /** The dynamic table, for tests. */
    HpackDynamicTable table() {
        return table;
    }

    /** Applies the peer's SETTINGS_HEADER_TABLE_SIZE (an unsigned 32-bit value). */
    void setPeerMaxTableSize(long peerSetting) {
        int size = (int) Math.min(peerSetting, maxTableSizeCap);
        if (size != table.maxSize()) {
            resize(size);
        }
    }

    private void resize(int size) {
        pendingMinimum = pendingMinimum < 0 ? size : Math.min(pendingMinimum, size);
        table.setMaxSize(size);
    }

    /** Starts a header block: writes the dynamic table size updates that are due (§4.2, §6.3). */
    void beginBlock(OutputBuffer out) {
        if (pendingMinimum >= 0) {
            if (pendingMinimum < table.maxSize()) {
                writeInteger(out, 0x20, 5, pendingMinimum);
            }
            writeInteger(out, 0x20, 5, table.maxSize());
            pendingMinimum = -1;
        }
    }

    /** Encodes one field with the representation {@link #indexingFor} picks. */
    void encode(OutputBuffer out, String name, String value) {
        String lowercase = lowercase(name);
        encode(out, lowercase, value, indexingFor(lowercase, value));
    }

    /** Encodes one field with a given literal representation (when it is not already in a table). */
    void encode(OutputBuffer out, String name, String value, Indexing indexing) {
        boolean indexable = indexing != Indexing.NEVER;
        int index = indexable ? HpackStaticTable.indexOf(name, value) : 0;
        int dynamic = index > 0 ? 0 : findInDynamicTable(name, indexable ? value : null);
        if (dynamic > 0) {
            index = dynamic;
        }
        if (index > 0) {
            writeInteger(out, 0x80, 7, index);
            return;
        }
        int nameIndex = HpackStaticTable.indexOfName(name);
        if (nameIndex == 0) {
            nameIndex = -dynamic;
        }
        switch (indexing) {
            case INCREMENTAL -> writeInteger(out, 0x40, 6, nameIndex);
            case WITHOUT -> writeInteger(out, 0x00, 4, nameIndex);
            case NEVER -> writeInteger(out, 0x10, 4, nameIndex);
        }
        if (nameIndex == 0) {
            writeString(out, name);
        }
        writeString(out, value);
        if (indexing == Indexing.INCREMENTAL) {
            table.add(name, value);
        }
    }

    /**
     * Looks for {@code name: value} in the dynamic table: its absolute index when both match, minus
     * the index of the newest entry with that name when only the name does, else 0. A null value
     * matches no entry's value.
     */
    private int findInDynamicTable(String name, String value) {
        int nameMatch = 0;
        for (int i = 1, n = table.length(); i <= n; i++) {
            if (table.name(i).equals(name)) {
                if (value != null && table.value(i).equals(value)) {
                    return HpackStaticTable.LENGTH + i;
                }
                if (nameMatch == 0) {
                    nameMatch = -(HpackStaticTable.LENGTH + i);
                }
            }
        }
        return nameMatch;
    }

    /** The representation the encoder uses for a field that is in no table (see the class comment). */
    Indexing indexingFor(String name, String value) {
        switch (name) {
            case "authorization", "proxy-authorization", "set-cookie" -> {
                return Indexing.NEVER;
            }
            case "cookie" -> {
                return value.length() < SHORT_COOKIE ? Indexing.NEVER : Indexing.INCREMENTAL;
            }
            case "content-length", "content-range", "etag", "last-modified", "age" -> {
                return Indexing.WITHOUT;
            }
            default -> {
                long size = HpackDynamicTable.entrySize(name, value);
                return size * 4 > table.maxSize() * 3L ? Indexing.WITHOUT : Indexing.INCREMENTAL;
            }
        }
    }

    /** An integer with an N-bit prefix after {@code pattern}'s high bits (§5.1). */
    static void writeInteger(OutputBuffer out, int pattern, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.writeByte(pattern | value);
            return;
        }
        out.writeByte(pattern | max);
        value -= max;
        while (value >= 0x80) {
            out.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    private void writeString(OutputBuffer out, String s) {
        int length = s.length();
        if (huffman && length > 0) {
            int encoded = Huffman.encodedLength(s);
            if (encoded <= length) {
                writeInteger(out, 0x80, 7, encoded);
                Huffman.encode(s, out);
                return;
            }
        }
        writeInteger(out, 0x00, 7, length);
        out.writeLatin1(s);
    }

    /** {@code name} in lowercase (RFC 9113 §8.2), allocating only when it has uppercase letters. */
    static String lowercase(String name) {
        for (int i = 0, n = name.length(); i < n; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }
}
