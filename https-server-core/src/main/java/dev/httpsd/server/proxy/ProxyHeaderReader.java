package dev.httpsd.server.proxy;

import dev.httpsd.server.proxy.ProxyHeaderException.Reason;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Reads the PROXY protocol header that must open a connection, either version (the receiver is
 * configured for the protocol and never guesses whether a header is there: anything else is
 * refused at its first wrong byte).
 *
 * <p>Bounded: a version 1 line is at most 107 bytes with its CRLF, a version 2 header at most
 * {@code maxHeaderBytes}, checked against its length field before the rest is read. Version 2 is
 * read exactly (its length is known after 16 bytes); version 1 is read as it arrives and may take
 * some bytes past its CRLF with it, which {@link Result#leftover()} hands back: they are the
 * client's first bytes (a TLS ClientHello, an HTTP request) and must be read before the socket.
 */
final class ProxyHeaderReader {

    /** The longest version 1 line, CRLF included ({@code PROXY UNKNOWN} with two full IPv6 addresses). */
    static final int V1_MAX_LINE = 107;

    /** The fixed part of a version 2 header: signature, version and command, family, length. */
    static final int V2_FIXED = 16;

    /** Room for the fixed part and the largest address block (two 108-byte Unix paths). */
    static final int MIN_MAX_HEADER_BYTES = V2_FIXED + 216;

    /** The largest header the length field can announce. */
    static final int MAX_MAX_HEADER_BYTES = V2_FIXED + 0xffff;

    /** Ours: a HAProxy header with SSL details, a unique id and the authority stays well below. */
    static final int DEFAULT_MAX_HEADER_BYTES = 2048;

    static final byte[] V1_PREFIX = {'P', 'R', 'O', 'X', 'Y', ' '};
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final int maxHeaderBytes;

    /**
     * @param maxHeaderBytes the largest version 2 header accepted, fixed part included
     * @throws IllegalArgumentException outside {@value #MIN_MAX_HEADER_BYTES} to {@value
     *     #MAX_MAX_HEADER_BYTES}
     */
    ProxyHeaderReader(int maxHeaderBytes) {
        if (maxHeaderBytes < MIN_MAX_HEADER_BYTES || maxHeaderBytes > MAX_MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the largest PROXY v2 header must be between " + MIN_MAX_HEADER_BYTES
                    + " bytes (the largest address block) and " + MAX_MAX_HEADER_BYTES + ", not " + maxHeaderBytes);
        }
        this.maxHeaderBytes = maxHeaderBytes;
    }

    ProxyHeaderReader() {
        this(DEFAULT_MAX_HEADER_BYTES);
    }

    int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /**
     * The header and any bytes read past it.
     *
     * @param leftover the connection's bytes that followed the header in the same read (version 1
     *     only, at most 92): they come before anything still in the socket
     */
    record Result(ProxyHeader header, byte[] leftover) {}

    /**
     * Reads and checks the header.
     *
     * @param deadlineNanos the whole header must have arrived by then ({@link System#nanoTime()})
     * @throws ProxyHeaderException when the connection does not begin with a valid header in time
     * @throws IOException when reading fails otherwise (a reset)
     */
    Result read(ProxySource in, long deadlineNanos) throws IOException {
        byte[] buffer = new byte[V2_FIXED];
        int filled = 0;
        // up to 16 bytes first: all of them belong to a version 2 header, and at most one byte
        // past the shortest version 1 line (PROXY UNKNOWN\r\n, 15 bytes) is taken
        while (filled < V2_FIXED) {
            filled += fill(in, buffer, filled, V2_FIXED - filled, deadlineNanos);
            if (buffer[0] == 'P') {
                checkPrefix(buffer, filled, V1_PREFIX);
                int end = lineEnd(buffer, 0, filled);
                if (end >= 0) {
                    return version1(buffer, end, filled);
                }
            } else if (buffer[0] == V2_SIGNATURE[0]) {
                checkPrefix(buffer, filled, V2_SIGNATURE);
            } else {
                throw notProxyProtocol(buffer, filled);
            }
        }
        return buffer[0] == 'P' ? readVersion1(in, buffer, deadlineNanos) : readVersion2(in, buffer, deadlineNanos);
    }

    private Result readVersion1(ProxySource in, byte[] start, long deadlineNanos) throws IOException {
        byte[] line = Arrays.copyOf(start, V1_MAX_LINE);
        int filled = start.length;
        while (true) {
            if (filled == V1_MAX_LINE) {
                throw new ProxyHeaderException(
                        Reason.LINE_TOO_LONG, "no CRLF within the first " + V1_MAX_LINE + " bytes of a version 1 line");
            }
            int from = filled;
            filled += fill(in, line, filled, V1_MAX_LINE - filled, deadlineNanos);
            int end = lineEnd(line, from, filled);
            if (end >= 0) {
                return version1(line, end, filled);
            }
        }
    }

    /** {@code end} is the index of the CR of the line's CRLF. */
    private static Result version1(byte[] bytes, int end, int filled) throws ProxyHeaderException {
        ProxyHeader header = ProxyV1Parser.parse(bytes, end);
        return new Result(header, Arrays.copyOfRange(bytes, end + 2, filled));
    }

    /**
     * The index of the CR ending the line within {@code bytes[0, filled)}, scanning from {@code
     * from}; -1 while no CRLF is there yet.
     *
     * @throws ProxyHeaderException at a bare CR or LF, or a byte no version 1 line may hold
     */
    private static int lineEnd(byte[] bytes, int from, int filled) throws ProxyHeaderException {
        for (int i = Math.max(from - 1, 0); i < filled; i++) {
            byte b = bytes[i];
            if (b == '\r') {
                if (i + 1 == filled) {
                    return -1;
                }
                if (bytes[i + 1] != '\n') {
                    throw new ProxyHeaderException(Reason.MALFORMED, "a CR not followed by LF in the version 1 line");
                }
                return i;
            }
            if (b == '\n') {
                throw new ProxyHeaderException(Reason.MALFORMED, "the version 1 line ends with a bare LF, not CRLF");
            }
            if (b < 0x20 || b > 0x7e) {
                throw new ProxyHeaderException(
                        Reason.MALFORMED,
                        String.format("byte 0x%02x at offset %d: a version 1 line is printable US-ASCII", b & 0xff, i));
            }
        }
        return -1;
    }

    private Result readVersion2(ProxySource in, byte[] fixed, long deadlineNanos) throws IOException {
        int versionCommand = fixed[12] & 0xff;
        if (versionCommand >> 4 != 2) {
            throw new ProxyHeaderException(
                    Reason.MALFORMED,
                    "version " + (versionCommand >> 4) + " after the version 2 signature (only 2 is defined)");
        }
        int length = ((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff);
        if (V2_FIXED + length > maxHeaderBytes) {
            throw new ProxyHeaderException(
                    Reason.HEADER_TOO_LONG,
                    "the version 2 header announces " + (V2_FIXED + length) + " bytes, more than the limit of "
                            + maxHeaderBytes);
        }
        byte[] header = Arrays.copyOf(fixed, V2_FIXED + length);
        int filled = V2_FIXED;
        while (filled < header.length) {
            filled += fill(in, header, filled, header.length - filled, deadlineNanos);
        }
        return new Result(ProxyV2Parser.parse(header), new byte[0]);
    }

    private static int fill(ProxySource in, byte[] buffer, int offset, int length, long deadlineNanos)
            throws IOException {
        int n;
        try {
            n = in.read(buffer, offset, length, deadlineNanos);
        } catch (SocketTimeoutException e) {
            throw new ProxyHeaderException(
                    Reason.TIMEOUT,
                    offset == 0
                            ? "none arrived in time"
                            : "incomplete when the time ran out (" + offset + " bytes arrived)");
        }
        if (n < 0) {
            throw new ProxyHeaderException(
                    Reason.CLOSED,
                    offset == 0
                            ? "the connection closed before sending one"
                            : "the connection closed after " + offset + " bytes of it");
        }
        if (n == 0 && length > 0) {
            throw new IllegalStateException("a ProxySource read returned 0 bytes");
        }
        return n;
    }

    private static void checkPrefix(byte[] buffer, int filled, byte[] prefix) throws ProxyHeaderException {
        for (int i = 0; i < Math.min(filled, prefix.length); i++) {
            if (buffer[i] != prefix[i]) {
                throw notProxyProtocol(buffer, filled);
            }
        }
    }

    private static ProxyHeaderException notProxyProtocol(byte[] buffer, int filled) {
        StringBuilder start = new StringBuilder();
        for (int i = 0; i < Math.min(filled, 8); i++) {
            start.append(String.format("%02x", buffer[i] & 0xff));
        }
        String what = buffer[0] == 0x16
                ? " (a TLS handshake: the client connected directly, not through the balancer)"
                : Character.isUpperCase(buffer[0]) && buffer[0] != 'P'
                        ? " (plain text, an HTTP request perhaps: the client connected directly)"
                        : "";
        return new ProxyHeaderException(
                Reason.NOT_PROXY_PROTOCOL, "the connection begins with " + start + ", not a PROXY header" + what);
    }
}
