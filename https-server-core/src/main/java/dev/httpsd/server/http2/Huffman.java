package dev.httpsd.server.http2;

import java.util.Arrays;

/**
 * The Huffman code of RFC 7541 §5.2 and Appendix B: encoding, and a strict decoder.
 *
 * <p>Decoding walks a table built once from the code: its states are the 256 inner nodes of the
 * code tree, and each step consumes four bits (a nibble), which can finish at most one symbol
 * because the shortest code has five. A string is refused when it decodes EOS (§5.2: "a Huffman
 * encoded string literal that includes the EOS symbol MUST be treated as a decoding error"), or
 * when its last bits are not a valid padding: at most 7 bits, all ones (the most significant
 * bits of EOS).
 */
final class Huffman {

    private static final int EOS = 256;

    /** Code and bit length per symbol 0 to 256, as Appendix B lists them. */
    private static final int[] CODES_AND_LENGTHS = {
        0x1ff8, 13, 0x7fffd8, 23, 0xfffffe2, 28, 0xfffffe3, 28,
        0xfffffe4, 28, 0xfffffe5, 28, 0xfffffe6, 28, 0xfffffe7, 28,
        0xfffffe8, 28, 0xffffea, 24, 0x3ffffffc, 30, 0xfffffe9, 28,
        0xfffffea, 28, 0x3ffffffd, 30, 0xfffffeb, 28, 0xfffffec, 28,
        0xfffffed, 28, 0xfffffee, 28, 0xfffffef, 28, 0xffffff0, 28,
        0xffffff1, 28, 0xffffff2, 28, 0x3ffffffe, 30, 0xffffff3, 28,
        0xffffff4, 28, 0xffffff5, 28, 0xffffff6, 28, 0xffffff7, 28,
        0xffffff8, 28, 0xffffff9, 28, 0xffffffa, 28, 0xffffffb, 28,
        0x14, 6, 0x3f8, 10, 0x3f9, 10, 0xffa, 12,
        0x1ff9, 13, 0x15, 6, 0xf8, 8, 0x7fa, 11,
        0x3fa, 10, 0x3fb, 10, 0xf9, 8, 0x7fb, 11,
        0xfa, 8, 0x16, 6, 0x17, 6, 0x18, 6,
        0x0, 5, 0x1, 5, 0x2, 5, 0x19, 6,
        0x1a, 6, 0x1b, 6, 0x1c, 6, 0x1d, 6,
        0x1e, 6, 0x1f, 6, 0x5c, 7, 0xfb, 8,
        0x7ffc, 15, 0x20, 6, 0xffb, 12, 0x3fc, 10,
        0x1ffa, 13, 0x21, 6, 0x5d, 7, 0x5e, 7,
        0x5f, 7, 0x60, 7, 0x61, 7, 0x62, 7,
        0x63, 7, 0x64, 7, 0x65, 7, 0x66, 7,
        0x67, 7, 0x68, 7, 0x69, 7, 0x6a, 7,
        0x6b, 7, 0x6c, 7, 0x6d, 7, 0x6e, 7,
        0x6f, 7, 0x70, 7, 0x71, 7, 0x72, 7,
        0xfc, 8, 0x73, 7, 0xfd, 8, 0x1ffb, 13,
        0x7fff0, 19, 0x1ffc, 13, 0x3ffc, 14, 0x22, 6,
        0x7ffd, 15, 0x3, 5, 0x23, 6, 0x4, 5,
        0x24, 6, 0x5, 5, 0x25, 6, 0x26, 6,
        0x27, 6, 0x6, 5, 0x74, 7, 0x75, 7,
        0x28, 6, 0x29, 6, 0x2a, 6, 0x7, 5,
        0x2b, 6, 0x76, 7, 0x2c, 6, 0x8, 5,
        0x9, 5, 0x2d, 6, 0x77, 7, 0x78, 7,
        0x79, 7, 0x7a, 7, 0x7b, 7, 0x7ffe, 15,
        0x7fc, 11, 0x3ffd, 14, 0x1ffd, 13, 0xffffffc, 28,
        0xfffe6, 20, 0x3fffd2, 22, 0xfffe7, 20, 0xfffe8, 20,
        0x3fffd3, 22, 0x3fffd4, 22, 0x3fffd5, 22, 0x7fffd9, 23,
        0x3fffd6, 22, 0x7fffda, 23, 0x7fffdb, 23, 0x7fffdc, 23,
        0x7fffdd, 23, 0x7fffde, 23, 0xffffeb, 24, 0x7fffdf, 23,
        0xffffec, 24, 0xffffed, 24, 0x3fffd7, 22, 0x7fffe0, 23,
        0xffffee, 24, 0x7fffe1, 23, 0x7fffe2, 23, 0x7fffe3, 23,
        0x7fffe4, 23, 0x1fffdc, 21, 0x3fffd8, 22, 0x7fffe5, 23,
        0x3fffd9, 22, 0x7fffe6, 23, 0x7fffe7, 23, 0xffffef, 24,
        0x3fffda, 22, 0x1fffdd, 21, 0xfffe9, 20, 0x3fffdb, 22,
        0x3fffdc, 22, 0x7fffe8, 23, 0x7fffe9, 23, 0x1fffde, 21,
        0x7fffea, 23, 0x3fffdd, 22, 0x3fffde, 22, 0xfffff0, 24,
        0x1fffdf, 21, 0x3fffdf, 22, 0x7fffeb, 23, 0x7fffec, 23,
        0x1fffe0, 21, 0x1fffe1, 21, 0x3fffe0, 22, 0x1fffe2, 21,
        0x7fffed, 23, 0x3fffe1, 22, 0x7fffee, 23, 0x7fffef, 23,
        0xfffea, 20, 0x3fffe2, 22, 0x3fffe3, 22, 0x3fffe4, 22,
        0x7ffff0, 23, 0x3fffe5, 22, 0x3fffe6, 22, 0x7ffff1, 23,
        0x3ffffe0, 26, 0x3ffffe1, 26, 0xfffeb, 20, 0x7fff1, 19,
        0x3fffe7, 22, 0x7ffff2, 23, 0x3fffe8, 22, 0x1ffffec, 25,
        0x3ffffe2, 26, 0x3ffffe3, 26, 0x3ffffe4, 26, 0x7ffffde, 27,
        0x7ffffdf, 27, 0x3ffffe5, 26, 0xfffff1, 24, 0x1ffffed, 25,
        0x7fff2, 19, 0x1fffe3, 21, 0x3ffffe6, 26, 0x7ffffe0, 27,
        0x7ffffe1, 27, 0x3ffffe7, 26, 0x7ffffe2, 27, 0xfffff2, 24,
        0x1fffe4, 21, 0x1fffe5, 21, 0x3ffffe8, 26, 0x3ffffe9, 26,
        0xffffffd, 28, 0x7ffffe3, 27, 0x7ffffe4, 27, 0x7ffffe5, 27,
        0xfffec, 20, 0xfffff3, 24, 0xfffed, 20, 0x1fffe6, 21,
        0x3fffe9, 22, 0x1fffe7, 21, 0x1fffe8, 21, 0x7ffff3, 23,
        0x3fffea, 22, 0x3fffeb, 22, 0x1ffffee, 25, 0x1ffffef, 25,
        0xfffff4, 24, 0xfffff5, 24, 0x3ffffea, 26, 0x7ffff4, 23,
        0x3ffffeb, 26, 0x7ffffe6, 27, 0x3ffffec, 26, 0x3ffffed, 26,
        0x7ffffe7, 27, 0x7ffffe8, 27, 0x7ffffe9, 27, 0x7ffffea, 27,
        0x7ffffeb, 27, 0xffffffe, 28, 0x7ffffec, 27, 0x7ffffed, 27,
        0x7ffffee, 27, 0x7ffffef, 27, 0x7fffff0, 27, 0x3ffffee, 26,
        0x3fffffff, 30,
    };

    private static final int[] CODES = new int[257];
    private static final byte[] LENGTHS = new byte[257];

    /** Per state and nibble: next state (bits 0-7), symbol + 1 or 0 (bits 8-16), EOS seen (bit 17). */
    private static final int[] STEPS = new int[256 * 16];

    private static final int EMIT_SHIFT = 8;
    private static final int FAILED = 1 << 17;

    /** Per state: how many one bits lead to it from the root when all its path is ones, else -1. */
    private static final byte[] ONES_DEPTH = new byte[256];

    static {
        for (int symbol = 0; symbol <= EOS; symbol++) {
            CODES[symbol] = CODES_AND_LENGTHS[2 * symbol];
            LENGTHS[symbol] = (byte) CODES_AND_LENGTHS[2 * symbol + 1];
        }
        buildDecoder();
    }

    private Huffman() {}

    /** The number of octets {@code s} takes Huffman-encoded (one symbol per char, 0 to 255). */
    static int encodedLength(String s) {
        long bits = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                throw new IllegalArgumentException("not ISO-8859-1 text: " + s);
            }
            bits += LENGTHS[c];
        }
        return (int) ((bits + 7) >>> 3);
    }

    /** Appends {@code s} Huffman-encoded, padded with the most significant bits of EOS. */
    static void encode(String s, OutputBuffer out) {
        out.ensure(encodedLength(s));
        long bits = 0;
        int pending = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            int symbol = s.charAt(i) & 0xff;
            int length = LENGTHS[symbol];
            bits = (bits << length) | CODES[symbol];
            pending += length;
            while (pending >= 8) {
                pending -= 8;
                out.writeByte((int) (bits >>> pending));
            }
        }
        if (pending > 0) {
            out.writeByte((int) ((bits << (8 - pending)) | (0xff >>> pending)));
        }
    }

    /** The largest number of octets {@code encodedLength} encoded octets can decode to. */
    static int maxDecodedLength(int encodedLength) {
        // the shortest code is five bits
        return (int) ((encodedLength * 8L) / 5);
    }

    /**
     * Decodes {@code length} octets from {@code source} into {@code target} at {@code targetOffset},
     * which must have room for {@link #maxDecodedLength(int)} octets (or be null to only check the
     * encoding).
     *
     * @return the number of decoded octets
     * @throws HpackException when the string holds EOS or ends in an invalid padding
     */
    static int decode(byte[] source, int offset, int length, byte[] target, int targetOffset) throws HpackException {
        int state = 0;
        int written = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            int b = source[i];
            int step = STEPS[(state << 4) | ((b >>> 4) & 0xf)];
            if ((step & FAILED) != 0) {
                throw new HpackException("Huffman-encoded string contains EOS");
            }
            int emitted = step >>> EMIT_SHIFT;
            if (emitted != 0) {
                if (target != null) {
                    target[targetOffset + written] = (byte) (emitted - 1);
                }
                written++;
            }
            step = STEPS[((step & 0xff) << 4) | (b & 0xf)];
            if ((step & FAILED) != 0) {
                throw new HpackException("Huffman-encoded string contains EOS");
            }
            emitted = step >>> EMIT_SHIFT;
            if (emitted != 0) {
                if (target != null) {
                    target[targetOffset + written] = (byte) (emitted - 1);
                }
                written++;
            }
            state = step & 0xff;
        }
        int padding = ONES_DEPTH[state];
        if (padding < 0) {
            throw new HpackException("Huffman-encoded string ends in padding that is not a prefix of EOS");
        }
        if (padding > 7) {
            throw new HpackException("Huffman-encoded string ends in " + padding + " bits of padding (at most 7)");
        }
        return written;
    }

    private static void buildDecoder() {
        // the code tree: inner nodes 0..255 (0 is the root); a child value >= 256 is a leaf 256 + symbol
        int[][] children = new int[256][2];
        for (int[] c : children) {
            c[0] = -1;
            c[1] = -1;
        }
        int nodes = 1;
        for (int symbol = 0; symbol <= EOS; symbol++) {
            int node = 0;
            for (int bit = LENGTHS[symbol] - 1; bit >= 0; bit--) {
                int b = (CODES[symbol] >>> bit) & 1;
                if (bit == 0) {
                    children[node][b] = 256 + symbol;
                } else {
                    if (children[node][b] < 0) {
                        children[node][b] = nodes++;
                    }
                    node = children[node][b];
                }
            }
        }
        if (nodes != 256) {
            throw new IllegalStateException("Huffman tree has " + nodes + " inner nodes");
        }
        Arrays.fill(ONES_DEPTH, (byte) -1);
        int onesNode = 0;
        for (int depth = 0; onesNode < 256; depth++) {
            ONES_DEPTH[onesNode] = (byte) depth;
            onesNode = children[onesNode][1];
        }
        for (int state = 0; state < 256; state++) {
            for (int nibble = 0; nibble < 16; nibble++) {
                int node = state;
                int emitted = 0;
                boolean failed = false;
                for (int bit = 3; bit >= 0; bit--) {
                    node = children[node][(nibble >>> bit) & 1];
                    if (node >= 256) {
                        int symbol = node - 256;
                        if (symbol == EOS) {
                            failed = true;
                        } else {
                            emitted = symbol + 1;
                        }
                        node = 0;
                    }
                }
                STEPS[(state << 4) | nibble] = node | (emitted << EMIT_SHIFT) | (failed ? FAILED : 0);
            }
        }
    }
}
