package dev.httpsd.server.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The values inside forwarded headers: ports, {@code host[:port]} and node names (client and proxy
 * addresses). Each parser answers {@code null} or -1 for a value it does not accept; what a bad
 * value means is {@link ForwardedHeaders}' decision.
 */
final class ForwardedValues {

    /** A host name's longest form (RFC 1035 §2.3.4, in text). */
    private static final int MAX_HOST = 253;

    private ForwardedValues() {}

    /** A host and its port, -1 when none was given. */
    record HostAndPort(String host, int port) {}

    /** 1-65535 in decimal without sign or leading zeros; -1 otherwise. */
    static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || text.charAt(0) == '0') {
            return -1;
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!IpLiterals.isDigit(c)) {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535 ? port : -1;
    }

    /**
     * {@code uri-host [":" port]} with a host an origin can have: a name of letters, digits, {@code
     * - . _ ~} (no percent-encoding or sub-delimiters), an IPv4 address, or an IPv6 address in
     * brackets; the port 1-65535. {@code null} for anything else.
     */
    static HostAndPort hostAndPort(String text) {
        if (text.isEmpty()) {
            return null;
        }
        int hostEnd;
        if (text.charAt(0) == '[') {
            hostEnd = text.indexOf(']') + 1;
            if (hostEnd == 0 || IpLiterals.ipv6Bytes(text.substring(1, hostEnd - 1)) == null) {
                return null;
            }
        } else {
            hostEnd = text.indexOf(':');
            if (hostEnd < 0) {
                hostEnd = text.length();
            }
            if (hostEnd == 0 || hostEnd > MAX_HOST || !isName(text, hostEnd)) {
                return null;
            }
        }
        String host = text.substring(0, hostEnd);
        if (hostEnd == text.length()) {
            return new HostAndPort(host, -1);
        }
        if (text.charAt(hostEnd) != ':') {
            return null;
        }
        int port = port(text.substring(hostEnd + 1));
        return port < 0 ? null : new HostAndPort(host, port);
    }

    /**
     * An address with an optional port, as {@code X-Forwarded-For} entries come: {@code
     * 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]}, {@code
     * [2001:db8::1]:4711}. Port 0 when none is given; {@code null} for anything else ({@code
     * unknown}, a host name).
     */
    static InetSocketAddress addressEntry(String text) {
        if (!text.isEmpty() && text.charAt(0) != '[' && text.indexOf(':') != text.lastIndexOf(':')) {
            InetAddress v6 = IpLiterals.ipv6(text);
            return v6 == null ? null : new InetSocketAddress(v6, 0);
        }
        return node(text);
    }

    /**
     * An RFC 7239 §6 node as an address: {@code IPv4address} or {@code "[" IPv6address "]"}, then
     * optionally {@code ":" port}; an obfuscated port ({@code _abc}) reads as port 0. {@code null}
     * for {@code unknown}, an obfuscated name ({@code _hidden}) and anything malformed: none of
     * them names an address.
     */
    static InetSocketAddress node(String text) {
        if (text.isEmpty()) {
            return null;
        }
        int nameEnd;
        InetAddress address;
        if (text.charAt(0) == '[') {
            nameEnd = text.indexOf(']') + 1;
            if (nameEnd == 0) {
                return null;
            }
            address = IpLiterals.ipv6(text.substring(1, nameEnd - 1));
        } else {
            nameEnd = text.indexOf(':');
            if (nameEnd < 0) {
                nameEnd = text.length();
            }
            address = IpLiterals.ipv4(text.substring(0, nameEnd));
        }
        if (address == null) {
            return null;
        }
        if (nameEnd == text.length()) {
            return new InetSocketAddress(address, 0);
        }
        if (text.charAt(nameEnd) != ':') {
            return null;
        }
        String port = text.substring(nameEnd + 1);
        if (isObfuscated(port)) {
            return new InetSocketAddress(address, 0);
        }
        int number = port(port);
        return number < 0 ? null : new InetSocketAddress(address, number);
    }

    /** RFC 7239 §6.3 {@code obfnode} / {@code obfport}: {@code "_" 1*(ALPHA / DIGIT / "." / "_" / "-")}. */
    static boolean isObfuscated(String text) {
        if (text.length() < 2 || text.charAt(0) != '_') {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(isAlphaNumeric(c) || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isName(String text, int end) {
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (!(isAlphaNumeric(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphaNumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IpLiterals.isDigit(c);
    }
}
