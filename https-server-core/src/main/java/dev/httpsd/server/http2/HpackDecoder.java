package dev.httpsd.server.http2;

import java.nio.charset.StandardCharsets;

/**
 * Decodes header blocks (RFC 7541 §3, §6) with one dynamic table per connection, strictly: any
 * representation that RFC 7541 calls a decoding error is an {@link HpackException}, which ends
 * the connection with COMPRESSION_ERROR (RFC 9113 §4.3).
 *
 * <ul>
 *   <li>Integers (§5.1) must fit in 31 bits, in at most five continuation octets.
 *   <li>Strings (§5.2) must lie within the block; Huffman strings must not contain EOS and must end
 *       in at most 7 bits of EOS prefix.
 *   <li>Index 0 and indices past the static and dynamic tables are errors (§2.3.3, §6.1).
 *   <li>Dynamic table size updates (§6.3) only before the first field of a block (§4.2), never
 *       above the limit we advertise in SETTINGS_HEADER_TABLE_SIZE; after that limit is lowered
 *       below the table's size, the next block must start with an update (§4.2).
 * </ul>
 *
 * <p>Against HPACK bombs (RFC 7541 §7.3, RFC 9113 §10.5.1) the decoder bounds what it hands out,
 * not what it reads: every block is read to the end so that the dynamic table stays in step with
 * the peer's encoder. Fields past {@code maxHeaderListSize} (counted as RFC 9113 §6.5.2 does:
 * name + value + 32 per field) are dropped and reported after the block as a {@link
 * HeaderListSizeException}, which costs only the one stream; a string longer than {@code
 * maxStringLength} is never materialised (its Huffman coding is still checked), and since that
 * limit is at least the table's maximum size, such a string would empty the table anyway. An
 * indexed field reuses the table's strings, so repeating a large entry allocates nothing.
 *
 * <p>Not thread-safe: one decoder per connection, used by the connection's reader in frame order.
 */
final class HpackDecoder {

    private static final int MAX_INTEGER_CONTINUATION_SHIFT = 28;

    private final HpackDynamicTable table;
    private final long maxHeaderListSize;
    private final int maxStringLength;

    private int maxTableSizeLimit;
    private boolean tableSizeUpdateRequired;
    private byte[] scratch = new byte[256];

    private byte[] in;
    private int position;
    private int end;
    /** The octet length of the last string read; {@link #readString()} returns null when it exceeds the limit. */
    private int stringLength;

    /**
     * @param maxTableSize the SETTINGS_HEADER_TABLE_SIZE we advertise (RFC 7541's default is 4096)
     * @param maxHeaderListSize the SETTINGS_MAX_HEADER_LIST_SIZE we advertise
     * @param maxStringLength the longest string materialised, at least {@code maxTableSize}
     */
    HpackDecoder(int maxTableSize, long maxHeaderListSize, int maxStringLength) {
        if (maxTableSize < 0 || maxHeaderListSize < 0 || maxStringLength < maxTableSize) {
            throw new IllegalArgumentException("table size " + maxTableSize + ", list size " + maxHeaderListSize
                    + ", string length " + maxStringLength + " (at least the table size)");
        }
        this.table = new HpackDynamicTable(maxTableSize);
        this.maxTableSizeLimit = maxTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
        this.maxStringLength = maxStringLength;
    }

    /** The dynamic table, for tests. */
    HpackDynamicTable table() {
        return table;
    }

    long maxHeaderListSize() {
        return maxHeaderListSize;
    }

    /**
     * Applies a new SETTINGS_HEADER_TABLE_SIZE of ours once the peer acknowledged it (RFC 9113
     * §6.5.3). When it is below the table's current maximum, the peer's next block must open with a
     * dynamic table size update.
     */
    void setMaxTableSizeLimit(int limit) {
        if (limit < 0 || limit > maxStringLength) {
            throw new IllegalArgumentException("table size limit " + limit + " outside 0.." + maxStringLength);
        }
        maxTableSizeLimit = limit;
        if (limit < table.maxSize()) {
            tableSizeUpdateRequired = true;
        }
    }

    /**
     * Decodes one complete header block, handing its fields to {@code listener} in order.
     *
     * @throws HpackException when the block is not valid HPACK (a connection error)
     * @throws HeaderListSizeException when the list is larger than the limit; the block was still
     *     read to its end and the fields up to the limit were handed out
     */
    void decode(byte[] block, int offset, int length, HeaderListener listener)
            throws HpackException, HeaderListSizeException {
        in = block;
        position = offset;
        end = offset + length;
        try {
            decodeFields(listener);
        } finally {
            in = null;
        }
    }

    private void decodeFields(HeaderListener listener) throws HpackException, HeaderListSizeException {
        long listSize = 0;
        boolean fieldSeen = false;
        boolean dropping = false;
        while (position < end) {
            int b = in[position] & 0xff;
            String name;
            String value;
            int nameLength;
            int valueLength;
            if ((b & 0x20) != 0 && (b & 0xc0) == 0) {
                // §6.3 dynamic table size update: 001xxxxx
                if (fieldSeen) {
                    throw new HpackException("dynamic table size update after the first field of a header block");
                }
                int size = readInteger(5);
                if (size > maxTableSizeLimit) {
                    throw new HpackException(
                            "dynamic table size update to " + size + " above the limit of " + maxTableSizeLimit);
                }
                table.setMaxSize(size);
                tableSizeUpdateRequired = false;
                continue;
            }
            if (tableSizeUpdateRequired) {
                throw new HpackException("header block does not start with the required dynamic table size update");
            }
            fieldSeen = true;
            if ((b & 0x80) != 0) {
                // §6.1 indexed field: 1xxxxxxx
                int index = readInteger(7);
                if (index == 0) {
                    throw new HpackException("indexed field with index 0");
                }
                name = nameAt(index);
                value = valueAt(index);
                nameLength = name.length();
                valueLength = value.length();
            } else {
                // §6.2.1 with incremental indexing 01xxxxxx, §6.2.2 without 0000xxxx, §6.2.3 never 0001xxxx
                boolean indexing = (b & 0x40) != 0;
                int index = readInteger(indexing ? 6 : 4);
                if (index == 0) {
                    name = readString();
                    nameLength = stringLength;
                } else {
                    name = nameAt(index);
                    nameLength = name.length();
                }
                value = readString();
                valueLength = stringLength;
                if (indexing) {
                    if (name == null || value == null) {
                        // larger than maxStringLength >= the table's maximum size: §4.4 empties the table
                        table.clear();
                    } else {
                        table.add(name, value);
                    }
                }
            }
            listSize += nameLength + valueLength + HpackDynamicTable.ENTRY_OVERHEAD;
            if (!dropping && (listSize > maxHeaderListSize || name == null || value == null)) {
                dropping = true;
            }
            if (!dropping) {
                listener.header(name, value);
            }
        }
        if (dropping) {
            throw new HeaderListSizeException(listSize, maxHeaderListSize);
        }
    }

    private String nameAt(int index) throws HpackException {
        if (index <= HpackStaticTable.LENGTH) {
            return HpackStaticTable.name(index);
        }
        return table.name(dynamicIndex(index));
    }

    private String valueAt(int index) throws HpackException {
        if (index <= HpackStaticTable.LENGTH) {
            return HpackStaticTable.value(index);
        }
        return table.value(dynamicIndex(index));
    }

    private int dynamicIndex(int index) throws HpackException {
        int dynamic = index - HpackStaticTable.LENGTH;
        if (dynamic > table.length()) {
            throw new HpackException("index " + index + " beyond the tables (" + HpackStaticTable.LENGTH
                    + " static and " + table.length() + " dynamic entries)");
        }
        return dynamic;
    }

    /** Reads an integer with an N-bit prefix (§5.1) starting at the current octet. */
    private int readInteger(int prefixBits) throws HpackException {
        int mask = (1 << prefixBits) - 1;
        int value = in[position++] & mask;
        if (value < mask) {
            return value;
        }
        long result = value;
        int shift = 0;
        while (true) {
            if (position == end) {
                throw new HpackException("integer truncated at the end of the header block");
            }
            int b = in[position++] & 0xff;
            result += (long) (b & 0x7f) << shift;
            if (result > Integer.MAX_VALUE) {
                throw new HpackException("integer above 2^31-1");
            }
            if ((b & 0x80) == 0) {
                return (int) result;
            }
            shift += 7;
            if (shift > MAX_INTEGER_CONTINUATION_SHIFT) {
                throw new HpackException("integer longer than five continuation octets");
            }
        }
    }

    /**
     * Reads a string literal (§5.2). Returns null when it decodes to more than maxStringLength
     * octets; {@link #stringLength} holds its octet length either way.
     */
    private String readString() throws HpackException {
        if (position == end) {
            throw new HpackException("string literal missing at the end of the header block");
        }
        boolean huffman = (in[position] & 0x80) != 0;
        int length = readInteger(7);
        if (length > end - position) {
            throw new HpackException("string literal of " + length + " octets runs past the end of the header block");
        }
        int start = position;
        position += length;
        if (!huffman) {
            stringLength = length;
            return length > maxStringLength ? null : new String(in, start, length, StandardCharsets.ISO_8859_1);
        }
        int bound = Huffman.maxDecodedLength(length);
        if (bound > scratch.length) {
            // a long string: learn its length first, so that an oversized one is checked but never stored
            int decoded = Huffman.decode(in, start, length, null, 0);
            stringLength = decoded;
            if (decoded > maxStringLength) {
                return null;
            }
            if (decoded > scratch.length) {
                scratch = new byte[Math.max(decoded, Math.min(2 * scratch.length, maxStringLength))];
            }
        }
        int decoded = Huffman.decode(in, start, length, scratch, 0);
        stringLength = decoded;
        return decoded > maxStringLength ? null : new String(scratch, 0, decoded, StandardCharsets.ISO_8859_1);
    }
}
