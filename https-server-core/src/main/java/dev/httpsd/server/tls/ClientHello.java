package dev.httpsd.server.tls;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a server needs to know from a ClientHello before an engine reads it (RFC 8446 §4.1.2): the
 * ALPN protocols offered (RFC 7301). Reads one whole TLS record; a ClientHello split over several
 * records is not read (rare; the engine then decides alone).
 *
 * @param alpnProtocols the protocols offered, in the client's order; empty when it offered none
 */
record ClientHello(List<String> alpnProtocols) {

    static final int RECORD_HEADER = 5;

    /** The largest TLS record, header included: 2^14 bytes of plaintext and 256 of expansion. */
    static final int MAX_RECORD = RECORD_HEADER + 16_384 + 256;

    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int EXTENSION_ALPN = 16;

    /**
     * The length of the record starting at {@code buffer}'s position, header included, or -1 while
     * its header is incomplete.
     */
    static int recordLength(ByteBuffer buffer) {
        if (buffer.remaining() < RECORD_HEADER) {
            return -1;
        }
        int at = buffer.position();
        return RECORD_HEADER + ((buffer.get(at + 3) & 0xff) << 8 | buffer.get(at + 4) & 0xff);
    }

    /**
     * Reads the ClientHello in the record at {@code record}'s position (left unchanged).
     *
     * @return what it offers, or {@code null} when the record is not one whole ClientHello
     */
    static ClientHello parse(ByteBuffer record) {
        ByteBuffer in = record.duplicate();
        try {
            if (u8(in) != HANDSHAKE) {
                return null;
            }
            in.position(in.position() + 2); // legacy record version
            int fragment = u16(in);
            if (in.remaining() < fragment) {
                return null;
            }
            in.limit(in.position() + fragment);
            if (u8(in) != CLIENT_HELLO) {
                return null;
            }
            int length = u24(in);
            if (length > in.remaining()) {
                return null; // continued in the next record
            }
            in.limit(in.position() + length);
            skip(in, 2 + 32); // legacy version, random
            skip(in, u8(in)); // legacy session id
            skip(in, u16(in)); // cipher suites
            skip(in, u8(in)); // compression methods
            if (!in.hasRemaining()) {
                return new ClientHello(List.of());
            }
            ByteBuffer extensions = slice(in, u16(in));
            while (extensions.hasRemaining()) {
                int type = u16(extensions);
                ByteBuffer data = slice(extensions, u16(extensions));
                if (type == EXTENSION_ALPN) {
                    return new ClientHello(protocolNames(slice(data, u16(data))));
                }
            }
            return new ClientHello(List.of());
        } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return null; // malformed: the engine will say so
        }
    }

    private static List<String> protocolNames(ByteBuffer list) {
        List<String> names = new ArrayList<>();
        while (list.hasRemaining()) {
            int length = u8(list);
            if (length == 0) {
                // RFC 7301 §3.1: ProtocolName<1..2^8-1>; malformed, for the engine to refuse (decode_error)
                throw new IllegalArgumentException("empty protocol name");
            }
            byte[] name = new byte[length];
            list.get(name);
            names.add(new String(name, StandardCharsets.ISO_8859_1));
        }
        return List.copyOf(names);
    }

    private static ByteBuffer slice(ByteBuffer in, int length) {
        ByteBuffer slice = in.slice(in.position(), length);
        in.position(in.position() + length);
        return slice;
    }

    private static void skip(ByteBuffer in, int length) {
        in.position(in.position() + length);
    }

    private static int u8(ByteBuffer in) {
        return in.get() & 0xff;
    }

    private static int u16(ByteBuffer in) {
        return (in.get() & 0xff) << 8 | in.get() & 0xff;
    }

    private static int u24(ByteBuffer in) {
        return (in.get() & 0xff) << 16 | (in.get() & 0xff) << 8 | in.get() & 0xff;
    }
}
