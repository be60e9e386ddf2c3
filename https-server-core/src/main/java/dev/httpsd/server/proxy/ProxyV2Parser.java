package dev.httpsd.server.proxy;

import dev.httpsd.server.proxy.ProxyHeader.Command;
import dev.httpsd.server.proxy.ProxyHeader.Family;
import dev.httpsd.server.proxy.ProxyHeader.SslInfo;
import dev.httpsd.server.proxy.ProxyHeader.Tlv;
import dev.httpsd.server.proxy.ProxyHeader.Transport;
import dev.httpsd.server.proxy.ProxyHeaderException.Reason;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * A whole version 2 header (the reader checked its signature, version and length): command,
 * family and transport, the address block, then the type-length-value fields.
 *
 * <p>Only the seven family/transport bytes the specification lists are accepted ({@code 0x00},
 * TCP and UDP over IPv4 and IPv6, Unix stream and datagram): for any other the position of the
 * fields after the addresses would be a guess. A LOCAL header's address block is skipped, as the
 * specification asks; its fields are still read and checked.
 */
final class ProxyV2Parser {

    static final int PP2_TYPE_ALPN = 0x01;
    static final int PP2_TYPE_AUTHORITY = 0x02;
    static final int PP2_TYPE_CRC32C = 0x03;
    static final int PP2_TYPE_NOOP = 0x04;
    static final int PP2_TYPE_UNIQUE_ID = 0x05;
    static final int PP2_TYPE_SSL = 0x20;
    static final int PP2_SUBTYPE_SSL_VERSION = 0x21;
    static final int PP2_SUBTYPE_SSL_CN = 0x22;
    static final int PP2_SUBTYPE_SSL_CIPHER = 0x23;
    static final int PP2_SUBTYPE_SSL_SIG_ALG = 0x24;
    static final int PP2_SUBTYPE_SSL_KEY_ALG = 0x25;
    static final int PP2_TYPE_NETNS = 0x30;

    static final int PP2_CLIENT_SSL = 0x01;
    static final int PP2_CLIENT_CERT_CONN = 0x02;
    static final int PP2_CLIENT_CERT_SESS = 0x04;

    static final int MAX_UNIQUE_ID = 128;
    static final int UNIX_PATH = 108;

    private ProxyV2Parser() {}

    /** @param header the whole header, {@code 16 + length} bytes */
    static ProxyHeader parse(byte[] header) throws ProxyHeaderException {
        int commandBits = header[12] & 0x0f;
        Command command = switch (commandBits) {
            case 0 -> Command.LOCAL;
            case 1 -> Command.PROXY;
            default ->
                throw new ProxyHeaderException(
                        Reason.MALFORMED, "command " + commandBits + " (only LOCAL 0 and PROXY 1 are defined)");
        };
        int familyByte = header[13] & 0xff;
        Family family = family(familyByte);
        Transport transport =
                familyByte == 0 ? Transport.UNSPEC : (familyByte & 0x0f) == 1 ? Transport.STREAM : Transport.DGRAM;
        int addressLength = switch (family) {
            case UNSPEC -> 0;
            case INET -> 12;
            case INET6 -> 36;
            case UNIX -> 2 * UNIX_PATH;
        };
        int fieldsStart = ProxyHeaderReader.V2_FIXED + addressLength;
        if (header.length < fieldsStart) {
            throw new ProxyHeaderException(
                    Reason.MALFORMED,
                    "length " + (header.length - ProxyHeaderReader.V2_FIXED) + " is shorter than the " + family
                            + " address block of " + addressLength + " bytes");
        }
        SocketAddress source = null;
        SocketAddress destination = null;
        if (command == Command.PROXY) {
            int at = ProxyHeaderReader.V2_FIXED;
            switch (family) {
                case INET, INET6 -> {
                    int size = family == Family.INET ? 4 : 16;
                    int ports = at + 2 * size;
                    source = new InetSocketAddress(
                            IpLiterals.address(Arrays.copyOfRange(header, at, at + size)), unsigned16(header, ports));
                    destination = new InetSocketAddress(
                            IpLiterals.address(Arrays.copyOfRange(header, at + size, ports)),
                            unsigned16(header, ports + 2));
                }
                case UNIX -> {
                    source = unixAddress(header, at, "source");
                    destination = unixAddress(header, at + UNIX_PATH, "destination");
                }
                case UNSPEC -> {}
            }
        }
        return fields(header, fieldsStart, command, family, transport, source, destination);
    }

    private static ProxyHeader fields(
            byte[] header,
            int start,
            Command command,
            Family family,
            Transport transport,
            SocketAddress source,
            SocketAddress destination)
            throws ProxyHeaderException {
        byte[] alpn = null;
        String authority = null;
        SslInfo ssl = null;
        byte[] uniqueId = null;
        String netns = null;
        int checksumAt = -1;
        List<Tlv> others = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        int at = start;
        while (at < header.length) {
            int type = header[at] & 0xff;
            int length = tlvLength(header, at, header.length, "");
            int value = at + 3;
            if (type != PP2_TYPE_NOOP && knownType(type) && !seen.add(type)) {
                throw new ProxyHeaderException(Reason.BAD_TLV, String.format("TLV type 0x%02x appears twice", type));
            }
            switch (type) {
                case PP2_TYPE_ALPN -> alpn = nonEmpty(header, value, length, "ALPN");
                case PP2_TYPE_AUTHORITY -> authority = utf8(header, value, length, "authority");
                case PP2_TYPE_CRC32C -> {
                    if (length != 4) {
                        throw new ProxyHeaderException(Reason.BAD_TLV, "a CRC32C TLV holds 4 bytes, not " + length);
                    }
                    checksumAt = value;
                }
                case PP2_TYPE_NOOP -> {}
                case PP2_TYPE_UNIQUE_ID -> {
                    if (length > MAX_UNIQUE_ID) {
                        throw new ProxyHeaderException(
                                Reason.BAD_TLV, "a unique id has at most " + MAX_UNIQUE_ID + " bytes, not " + length);
                    }
                    uniqueId = Arrays.copyOfRange(header, value, value + length);
                }
                case PP2_TYPE_SSL -> ssl = ssl(header, value, length);
                case PP2_TYPE_NETNS -> netns = ascii(header, value, length, "network namespace");
                default -> others.add(new Tlv(type, Arrays.copyOfRange(header, value, value + length)));
            }
            at = value + length;
        }
        if (checksumAt >= 0) {
            checkCrc32c(header, checksumAt);
        }
        return new ProxyHeader(
                2,
                command,
                family,
                transport,
                source,
                destination,
                alpn,
                authority,
                ssl,
                uniqueId,
                netns,
                checksumAt >= 0,
                others);
    }

    private static SslInfo ssl(byte[] header, int start, int length) throws ProxyHeaderException {
        if (length < 5) {
            throw new ProxyHeaderException(
                    Reason.BAD_TLV,
                    "an SSL TLV starts with a client byte and a 4-byte verify result, got " + length + " bytes");
        }
        int client = header[start] & 0xff;
        long verify = ((long) (header[start + 1] & 0xff) << 24)
                | ((header[start + 2] & 0xff) << 16)
                | ((header[start + 3] & 0xff) << 8)
                | (header[start + 4] & 0xff);
        String version = null;
        String commonName = null;
        String cipher = null;
        String signatureAlgorithm = null;
        String keyAlgorithm = null;
        List<Tlv> others = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        int end = start + length;
        int at = start + 5;
        while (at < end) {
            int type = header[at] & 0xff;
            int subLength = tlvLength(header, at, end, "SSL sub-");
            int value = at + 3;
            boolean known = type >= PP2_SUBTYPE_SSL_VERSION && type <= PP2_SUBTYPE_SSL_KEY_ALG;
            if (known && !seen.add(type)) {
                throw new ProxyHeaderException(
                        Reason.BAD_TLV, String.format("SSL sub-TLV type 0x%02x appears twice", type));
            }
            switch (type) {
                case PP2_SUBTYPE_SSL_VERSION -> version = ascii(header, value, subLength, "SSL version");
                case PP2_SUBTYPE_SSL_CN -> commonName = utf8(header, value, subLength, "client certificate CN");
                case PP2_SUBTYPE_SSL_CIPHER -> cipher = ascii(header, value, subLength, "SSL cipher");
                case PP2_SUBTYPE_SSL_SIG_ALG ->
                    signatureAlgorithm = ascii(header, value, subLength, "SSL signature algorithm");
                case PP2_SUBTYPE_SSL_KEY_ALG -> keyAlgorithm = ascii(header, value, subLength, "SSL key algorithm");
                case PP2_TYPE_NOOP -> {}
                default -> others.add(new Tlv(type, Arrays.copyOfRange(header, value, value + subLength)));
            }
            at = value + subLength;
        }
        return new SslInfo(
                (client & PP2_CLIENT_SSL) != 0,
                (client & PP2_CLIENT_CERT_CONN) != 0,
                (client & PP2_CLIENT_CERT_SESS) != 0,
                verify,
                version,
                commonName,
                cipher,
                signatureAlgorithm,
                keyAlgorithm,
                others);
    }

    /** The length of the TLV at {@code at}, checked to end by {@code end}. */
    private static int tlvLength(byte[] header, int at, int end, String kind) throws ProxyHeaderException {
        if (end - at < 3) {
            throw new ProxyHeaderException(
                    Reason.BAD_TLV,
                    (end - at) + " byte" + (end - at == 1 ? "" : "s") + " left where a " + kind
                            + "TLV needs at least 3 (type and length)");
        }
        int length = unsigned16(header, at + 1);
        if (length > end - at - 3) {
            throw new ProxyHeaderException(
                    Reason.BAD_TLV,
                    String.format(
                            "%sTLV type 0x%02x announces %d bytes, only %d are left",
                            kind, header[at] & 0xff, length, end - at - 3));
        }
        return length;
    }

    private static boolean knownType(int type) {
        return type == PP2_TYPE_ALPN
                || type == PP2_TYPE_AUTHORITY
                || type == PP2_TYPE_CRC32C
                || type == PP2_TYPE_UNIQUE_ID
                || type == PP2_TYPE_SSL
                || type == PP2_TYPE_NETNS;
    }

    private static void checkCrc32c(byte[] header, int checksumAt) throws ProxyHeaderException {
        long announced = ((long) (header[checksumAt] & 0xff) << 24)
                | ((header[checksumAt + 1] & 0xff) << 16)
                | ((header[checksumAt + 2] & 0xff) << 8)
                | (header[checksumAt + 3] & 0xff);
        byte[] zeroed = header.clone();
        Arrays.fill(zeroed, checksumAt, checksumAt + 4, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(zeroed);
        if (crc.getValue() != announced) {
            throw new ProxyHeaderException(
                    Reason.CHECKSUM_MISMATCH,
                    String.format(
                            "the CRC32C TLV says %08x, the header's checksum is %08x", announced, crc.getValue()));
        }
    }

    private static Family family(int familyByte) throws ProxyHeaderException {
        return switch (familyByte) {
            case 0x00 -> Family.UNSPEC;
            case 0x11, 0x12 -> Family.INET;
            case 0x21, 0x22 -> Family.INET6;
            case 0x31, 0x32 -> Family.UNIX;
            default ->
                throw new ProxyHeaderException(
                        Reason.MALFORMED,
                        String.format(
                                "family and transport byte 0x%02x is none the specification defines"
                                        + " (0x00, 0x11, 0x12, 0x21, 0x22, 0x31, 0x32)",
                                familyByte));
        };
    }

    /**
     * A Unix socket address: a path up to the first NUL; an abstract name (after a leading NUL)
     * shown with {@code @}; {@code null} for an unnamed socket (all zeros, what a balancer sends
     * for a client that connected from one).
     */
    private static SocketAddress unixAddress(byte[] header, int start, String which) throws ProxyHeaderException {
        boolean abstractName = header[start] == 0;
        int from = abstractName ? start + 1 : start;
        int end = from;
        while (end < start + UNIX_PATH && header[end] != 0) {
            end++;
        }
        if (end == from) {
            return null;
        }
        String path = decode(header, from, end - from, "Unix " + which + " path", Reason.BAD_ADDRESS);
        if (!abstractName && path.startsWith("@")) {
            throw new ProxyHeaderException(
                    Reason.BAD_ADDRESS,
                    "the Unix " + which + " path '" + path + "' begins with @, which would read as an abstract name");
        }
        try {
            // as a Path the name loses redundant slashes; an abstract name of slashes only is no name
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(abstractName ? "@" + path : path);
            return address.getPath().toString().equals("@") ? null : address;
        } catch (java.nio.file.InvalidPathException e) {
            throw new ProxyHeaderException(
                    Reason.BAD_ADDRESS, "the Unix " + which + " path is no path: " + e.getReason());
        }
    }

    private static byte[] nonEmpty(byte[] header, int start, int length, String what) throws ProxyHeaderException {
        if (length == 0) {
            throw new ProxyHeaderException(Reason.BAD_TLV, "the " + what + " TLV is empty");
        }
        return Arrays.copyOfRange(header, start, start + length);
    }

    private static String utf8(byte[] header, int start, int length, String what) throws ProxyHeaderException {
        nonEmpty(header, start, length, what);
        return decode(header, start, length, what, Reason.BAD_TLV);
    }

    private static String ascii(byte[] header, int start, int length, String what) throws ProxyHeaderException {
        nonEmpty(header, start, length, what);
        for (int i = start; i < start + length; i++) {
            if (header[i] < 0x20 || header[i] > 0x7e) {
                throw new ProxyHeaderException(
                        Reason.BAD_TLV,
                        String.format(
                                "the %s TLV holds byte 0x%02x: it is printable US-ASCII", what, header[i] & 0xff));
            }
        }
        return new String(header, start, length, StandardCharsets.US_ASCII);
    }

    private static String decode(byte[] bytes, int start, int length, String what, Reason reason)
            throws ProxyHeaderException {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, length))
                    .toString();
            if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new ProxyHeaderException(reason, "the " + what + " holds a control character");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new ProxyHeaderException(reason, "the " + what + " is not valid UTF-8");
        }
    }

    private static int unsigned16(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }
}
