package dev.httpsd.server.http2;

import java.util.Arrays;

/**
 * A growable byte array that frames and header blocks are written into and then handed to the
 * transport in one piece. Reused: {@link #reset()} keeps the array, so a connection's writer
 * allocates only when a frame is larger than any before it. Not thread-safe.
 */
final class OutputBuffer {

    private byte[] bytes;
    private int length;

    OutputBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** The backing array: bytes 0 to {@link #length()} hold what was written. */
    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    /** Forgets what was written; keeps the array. */
    void reset() {
        length = 0;
    }

    /** Drops everything after the first {@code newLength} bytes. */
    void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IndexOutOfBoundsException(newLength + " of " + length);
        }
        length = newLength;
    }

    /** A copy of what was written (for tests and rare paths). */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** Makes room for {@code more} bytes after the current end. */
    void ensure(int more) {
        int needed = length + more;
        if (needed < 0) {
            throw new OutOfMemoryError("output buffer above 2 GiB");
        }
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }

    /** Appends {@code count} bytes whose content the caller sets later; returns where they start. */
    int skip(int count) {
        ensure(count);
        int at = length;
        length += count;
        return at;
    }

    void writeByte(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
    }

    void write(byte[] source, int offset, int count) {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    void writeShort(int value) {
        ensure(2);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    void writeInt(int value) {
        ensure(4);
        putInt(bytes, length, value);
        length += 4;
    }

    /** Writes one octet per char of an ISO-8859-1 string. */
    void writeLatin1(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                throw new IllegalArgumentException("not ISO-8859-1 text: " + s);
            }
            bytes[length++] = (byte) c;
        }
    }

    static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
