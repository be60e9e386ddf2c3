package dev.httpsd.server.websocket;

/**
 * Incremental UTF-8 validation (RFC 3629) across frame boundaries: text messages must be valid
 * UTF-8 as a whole, and a code point may be split between fragments.
 */
final class Utf8Validator {

    private int needed;
    private int lower = 0x80;
    private int upper = 0xBF;

    /** @return false as soon as the bytes cannot be UTF-8 */
    boolean update(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xff;
            if (needed == 0) {
                if (b <= 0x7F) {
                    continue;
                }
                if (b >= 0xC2 && b <= 0xDF) {
                    needed = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    needed = 2;
                    lower = b == 0xE0 ? 0xA0 : 0x80;
                    upper = b == 0xED ? 0x9F : 0xBF;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    needed = 3;
                    lower = b == 0xF0 ? 0x90 : 0x80;
                    upper = b == 0xF4 ? 0x8F : 0xBF;
                } else {
                    return false;
                }
            } else {
                if (b < lower || b > upper) {
                    return false;
                }
                lower = 0x80;
                upper = 0xBF;
                needed--;
            }
        }
        return true;
    }

    /** Whether the text so far ends on a code point boundary (the message may end here). */
    boolean complete() {
        return needed == 0;
    }

    void reset() {
        needed = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
