package dev.httpsd.server.http2;

/** One field of a header or trailer section: a lowercase name and a value (RFC 9113 §8.2). */
record HeaderField(String name, String value) {

    /** Its size as RFC 9113 §6.5.2 and RFC 7541 §4.1 count it. */
    int size() {
        return HpackDynamicTable.entrySize(name, value);
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
