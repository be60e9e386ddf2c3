package dev.httpsd.server.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict text forms of IP addresses, parsed without any name lookup: {@link InetAddress#getByName}
 * would accept host names (and look them up), octal or shortened IPv4 forms and zone ids, none of
 * which a PROXY line, a CIDR block or a forwarded header may carry.
 *
 * <ul>
 *   <li>IPv4: exactly four decimal numbers 0-255 separated by dots, no leading zeros (the PROXY
 *       protocol's rule, which keeps {@code 010} from meaning 8 to some readers and 10 to others);
 *   <li>IPv6: RFC 4291 §2.2 text, 1 to 4 hex digits per group, at most one {@code ::}, optionally
 *       ending in a dotted IPv4 address; no zone id, no brackets.
 * </ul>
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) comes back as the IPv4 address, as the
 * JDK reports a dual-stack socket's IPv4 peers.
 */
final class IpLiterals {

    private IpLiterals() {}

    /** The IPv4 address, or {@code null} when {@code text} is not strict dotted decimal. */
    static InetAddress ipv4(CharSequence text) {
        byte[] bytes = ipv4Bytes(text, 0, text.length());
        return bytes == null ? null : address(bytes);
    }

    /** The IPv6 address (or IPv4 when mapped), or {@code null} when {@code text} is not IPv6 text. */
    static InetAddress ipv6(CharSequence text) {
        byte[] bytes = ipv6Bytes(text);
        return bytes == null ? null : address(bytes);
    }

    /** Either form; {@code null} when {@code text} is neither. */
    static InetAddress parse(CharSequence text) {
        InetAddress v4 = ipv4(text);
        return v4 != null ? v4 : ipv6(text);
    }

    /** The 4 bytes of strict dotted decimal in {@code text[from, to)}, or {@code null}. */
    static byte[] ipv4Bytes(CharSequence text, int from, int to) {
        byte[] bytes = new byte[4];
        int part = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 4 && isDigit(text.charAt(i))) {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return null;
            }
            bytes[part++] = (byte) value;
            if (part == 4) {
                return i == to ? bytes : null;
            }
            if (i >= to || text.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    /** The 16 bytes of IPv6 text, or {@code null}. */
    static byte[] ipv6Bytes(CharSequence text) {
        int length = text.length();
        if (length < 2 || length > 45) {
            return null;
        }
        byte[] bytes = new byte[16];
        int filled = 0; // bytes written
        int gap = -1; // byte index where "::" stands
        int i = 0;
        if (text.charAt(0) == ':') {
            if (text.charAt(1) != ':') {
                return null;
            }
            gap = 0;
            i = 2;
            if (i == length) {
                return bytes; // "::"
            }
        }
        while (i < length) {
            int start = i;
            int value = 0;
            while (i < length && i - start < 5 && hex(text.charAt(i)) >= 0) {
                value = (value << 4) | hex(text.charAt(i));
                i++;
            }
            int digits = i - start;
            if (i < length && text.charAt(i) == '.') {
                // a dotted IPv4 tail takes the last 4 bytes
                if (filled > 12) {
                    return null;
                }
                byte[] v4 = ipv4Bytes(text, start, length);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, bytes, filled, 4);
                filled += 4;
                i = length;
                break;
            }
            if (digits == 0 || digits > 4 || filled > 14) {
                return null;
            }
            bytes[filled++] = (byte) (value >> 8);
            bytes[filled++] = (byte) value;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < length && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null; // a second "::"
                }
                gap = filled;
                i++;
                if (i == length) {
                    break;
                }
            } else if (i == length) {
                return null; // a trailing single ':'
            }
        }
        if (gap < 0) {
            return filled == 16 ? bytes : null;
        }
        if (filled == 16) {
            return null; // "::" must stand for at least one group
        }
        int tail = filled - gap;
        System.arraycopy(bytes, gap, bytes, 16 - tail, tail);
        java.util.Arrays.fill(bytes, gap, 16 - tail, (byte) 0);
        return bytes;
    }

    /**
     * An address from its bytes: 4 for IPv4, 16 for IPv6; IPv4-mapped IPv6 becomes IPv4 (the JDK's
     * {@link InetAddress#getByAddress(byte[])} does so).
     */
    static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length, e);
        }
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
