package dev.httpsd.server.http1;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer for building response heads and small responses without garbage. */
final class OutputBuffer {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int size;

    OutputBuffer(int capacity) {
        buf = new byte[capacity];
    }

    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    OutputBuffer write(byte[] bytes) {
        return write(bytes, 0, bytes.length);
    }

    OutputBuffer write(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
        return this;
    }

    /** Writes chars 0–255 as single bytes (callers validate the range). */
    OutputBuffer latin1(String s) {
        int length = s.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    OutputBuffer decimal(long value) {
        return latin1(Long.toString(value));
    }

    OutputBuffer hex(long value) {
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 3) / 4);
        ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            buf[size++] = HEX[(int) (value >>> (i * 4)) & 0xf];
        }
        return this;
    }

    OutputBuffer crlf() {
        ensure(2);
        buf[size++] = '\r';
        buf[size++] = '\n';
        return this;
    }
}
