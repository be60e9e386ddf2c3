package dev.httpsd.server.http2;

/**
 * The 9-octet frame header of RFC 9113 §4.1: a 24-bit payload length, the type, the flags, and a
 * reserved bit (ignored when reading, zero when writing) before a 31-bit stream identifier.
 */
final class FrameHeader {

    static final int LENGTH = 9;

    /** The largest value a stream identifier, window size or increment can take: 2^31-1. */
    static final int MAX_31_BIT = 0x7fffffff;

    private FrameHeader() {}

    static int payloadLength(byte[] b, int at) {
        return ((b[at] & 0xff) << 16) | ((b[at + 1] & 0xff) << 8) | (b[at + 2] & 0xff);
    }

    static int type(byte[] b, int at) {
        return b[at + 3] & 0xff;
    }

    static int flags(byte[] b, int at) {
        return b[at + 4] & 0xff;
    }

    static int streamId(byte[] b, int at) {
        return readInt31(b, at + 5);
    }

    /** A 32-bit field whose first bit is reserved (stream ids, window increments, dependencies). */
    static int readInt31(byte[] b, int at) {
        return readInt32(b, at) & MAX_31_BIT;
    }

    static int readInt32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    /** An unsigned 32-bit field (error codes, setting values). */
    static long readUnsigned32(byte[] b, int at) {
        return readInt32(b, at) & 0xffffffffL;
    }

    static void write(OutputBuffer out, int payloadLength, int type, int flags, int streamId) {
        if (payloadLength < 0 || payloadLength > 0xffffff) {
            throw new IllegalArgumentException("frame payload of " + payloadLength + " octets");
        }
        out.ensure(LENGTH);
        out.writeByte(payloadLength >>> 16);
        out.writeShort(payloadLength);
        out.writeByte(type);
        out.writeByte(flags);
        out.writeInt(streamId & MAX_31_BIT);
    }
}
