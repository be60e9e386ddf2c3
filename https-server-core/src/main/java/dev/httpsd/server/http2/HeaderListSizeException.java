package dev.httpsd.server.http2;

/**
 * A header block decoded completely whose header list is larger than the decoder accepts
 * (RFC 9113 §6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE, §10.5.1). The fields past the limit were
 * dropped, but the dynamic table took every update, so the connection stays usable: the stream is
 * answered with 431 (Request Header Fields Too Large) or reset, nothing more.
 */
final class HeaderListSizeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    HeaderListSizeException(long size, long limit) {
        super("header list of " + size + " bytes exceeds the limit of " + limit, null, false, false);
        this.size = size;
        this.limit = limit;
    }

    /** The size of the whole list as RFC 9113 counts it (name + value + 32 per field). */
    long size() {
        return size;
    }

    long limit() {
        return limit;
    }
}
