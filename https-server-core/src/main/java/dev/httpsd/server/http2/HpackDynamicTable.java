package dev.httpsd.server.http2;

/**
 * The dynamic table of RFC 7541 §2.3.2 and §4: a FIFO of fields, newest first, whose size is the
 * sum of its entries' sizes (name octets + value octets + 32, §4.1), never above its maximum size:
 * adding evicts the oldest entries until the new one fits, and an entry larger than the maximum
 * empties the table and is not added (§4.4).
 *
 * <p>One instance per direction per connection; not thread-safe (the decoder runs on the
 * connection's reader, the encoder under the connection's writer). Strings hold one octet per
 * char (ISO-8859-1), so a string's length is its octet count.
 */
final class HpackDynamicTable {

    /** The per-entry overhead of RFC 7541 §4.1. */
    static final int ENTRY_OVERHEAD = 32;

    private String[] names;
    private String[] values;
    /** The slot of the newest entry; older entries follow it, wrapping around. */
    private int newest;

    private int length;
    private int size;
    private int maxSize;

    HpackDynamicTable(int maxSize) {
        this.maxSize = maxSize;
        int slots = Math.max(8, Math.min(64, maxSize / ENTRY_OVERHEAD + 1));
        names = new String[slots];
        values = new String[slots];
    }

    static int entrySize(String name, String value) {
        return name.length() + value.length() + ENTRY_OVERHEAD;
    }

    /** The number of entries. */
    int length() {
        return length;
    }

    /** The table's size in the RFC's accounting. */
    int size() {
        return size;
    }

    int maxSize() {
        return maxSize;
    }

    /** The name of the entry at {@code index}: 1 is the newest, {@link #length()} the oldest. */
    String name(int index) {
        return names[slot(index)];
    }

    /** The value of the entry at {@code index}: 1 is the newest, {@link #length()} the oldest. */
    String value(int index) {
        return values[slot(index)];
    }

    private int slot(int index) {
        if (index < 1 || index > length) {
            throw new IndexOutOfBoundsException("dynamic table index " + index + " of " + length);
        }
        int slot = newest + index - 1;
        return slot < names.length ? slot : slot - names.length;
    }

    /** Adds an entry as the newest, evicting as RFC 7541 §4.4 says. */
    void add(String name, String value) {
        int entrySize = entrySize(name, value);
        if (entrySize > maxSize) {
            clear();
            return;
        }
        evictUntil(maxSize - entrySize);
        if (length == names.length) {
            grow();
        }
        newest = newest == 0 ? names.length - 1 : newest - 1;
        names[newest] = name;
        values[newest] = value;
        length++;
        size += entrySize;
    }

    /** Sets the maximum size (a dynamic table size update, §4.3, §6.3), evicting what no longer fits. */
    void setMaxSize(int maxSize) {
        this.maxSize = maxSize;
        evictUntil(maxSize);
    }

    private void evictUntil(int targetSize) {
        while (size > targetSize) {
            int oldest = slot(length);
            size -= entrySize(names[oldest], values[oldest]);
            names[oldest] = null;
            values[oldest] = null;
            length--;
        }
    }

    /** Empties the table, as adding an entry larger than the maximum size does (§4.4). */
    void clear() {
        evictUntil(0);
    }

    private void grow() {
        String[] newNames = new String[names.length * 2];
        String[] newValues = new String[names.length * 2];
        for (int i = 1; i <= length; i++) {
            newNames[i - 1] = name(i);
            newValues[i - 1] = value(i);
        }
        names = newNames;
        values = newValues;
        newest = 0;
    }
}
