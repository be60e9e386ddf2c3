package dev.httpsd.server.http2;

/** One parameter of a SETTINGS frame (RFC 9113 §6.5.1): an identifier and an unsigned 32-bit value. */
record Setting(int id, long value) {

    @Override
    public String toString() {
        return Http2Settings.name(id) + "=" + value;
    }
}
