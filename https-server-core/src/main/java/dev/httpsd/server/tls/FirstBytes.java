package dev.httpsd.server.tls;

/**
 * What the TLS port makes of a connection's first read, before any engine sees it: a TLS
 * handshake record goes on to the handshake; plain HTTP (a request line starts with an upper-case
 * method name) gets a plaintext answer saying HTTPS is needed, unless the server mirrors ESP,
 * which answers nothing; anything else is refused. Only the first byte counts, so the decision is
 * the same however the peer's bytes were split.
 */
enum FirstBytes {
    /** A TLS handshake record: the handshake goes on. */
    TLS,
    /** Plain HTTP: answered with a plaintext 400, then closed. */
    PLAINTEXT_ANSWER,
    /** Neither, or plain HTTP in ESP-IDF-compatible mode: closed without an answer. */
    REFUSED;

    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    /**
     * Decides on the first {@code length} bytes of {@code bytes} (one read); reads only, and
     * refuses an empty read.
     */
    static FirstBytes of(byte[] bytes, int length, boolean answerPlaintext) {
        if (length < 1) {
            return REFUSED;
        }
        int first = bytes[0] & 0xff;
        if (first == TLS_HANDSHAKE_RECORD) {
            return TLS;
        }
        return first >= 'A' && first <= 'Z' && answerPlaintext ? PLAINTEXT_ANSWER : REFUSED;
    }
}
