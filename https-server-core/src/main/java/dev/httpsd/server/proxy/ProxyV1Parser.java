package dev.httpsd.server.proxy;

import dev.httpsd.server.proxy.ProxyHeader.Family;
import dev.httpsd.server.proxy.ProxyHeaderException.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A version 1 line, exactly as the specification writes it: {@code PROXY TCP4|TCP6 source
 * destination source-port destination-port}, single spaces, IPv4 as four decimal numbers without
 * leading zeros, IPv6 in RFC 4291 text, ports 0-65535 without leading zeros; or {@code PROXY
 * UNKNOWN} followed by anything (ignored) before the CRLF.
 */
final class ProxyV1Parser {

    private ProxyV1Parser() {}

    /**
     * @param bytes the line, starting with {@code PROXY }, printable US-ASCII (the reader checked)
     * @param end the index of its CRLF
     */
    static ProxyHeader parse(byte[] bytes, int end) throws ProxyHeaderException {
        String line = new String(bytes, 0, end, StandardCharsets.US_ASCII);
        String rest = line.substring(ProxyHeaderReader.V1_PREFIX.length);
        if (rest.equals("UNKNOWN") || rest.startsWith("UNKNOWN ")) {
            return ProxyHeader.v1(Family.UNSPEC, null, null);
        }
        String[] fields = rest.split(" ", -1);
        Family family = switch (fields[0]) {
            case "TCP4" -> Family.INET;
            case "TCP6" -> Family.INET6;
            default ->
                throw new ProxyHeaderException(
                        Reason.MALFORMED,
                        "'" + abbreviate(fields[0]) + "' is no version 1 protocol: TCP4, TCP6 or UNKNOWN");
        };
        if (fields.length != 5) {
            throw new ProxyHeaderException(
                    Reason.MALFORMED,
                    "a " + fields[0] + " line has four fields after the protocol, single-spaced: '" + line + "'");
        }
        InetAddress source = address(fields[1], family, "source");
        InetAddress destination = address(fields[2], family, "destination");
        int sourcePort = port(fields[3], "source");
        int destinationPort = port(fields[4], "destination");
        return ProxyHeader.v1(
                family, new InetSocketAddress(source, sourcePort), new InetSocketAddress(destination, destinationPort));
    }

    private static InetAddress address(String text, Family family, String which) throws ProxyHeaderException {
        InetAddress address = family == Family.INET ? IpLiterals.ipv4(text) : IpLiterals.ipv6(text);
        if (address == null) {
            throw new ProxyHeaderException(
                    Reason.BAD_ADDRESS,
                    "the " + which + " address '" + abbreviate(text) + "' is not "
                            + (family == Family.INET ? "IPv4 (four numbers 0-255, no leading zeros)" : "IPv6 text")
                            + " as TCP" + (family == Family.INET ? "4" : "6") + " requires");
        }
        return address;
    }

    private static int port(String text, String which) throws ProxyHeaderException {
        boolean digits = !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        int port = digits ? Integer.parseInt(text) : -1;
        if (!digits || port > 65535 || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new ProxyHeaderException(
                    Reason.BAD_ADDRESS,
                    "the " + which + " port '" + abbreviate(text) + "' is not a number 0-65535 without leading zeros");
        }
        return port;
    }

    private static String abbreviate(String text) {
        return text.length() <= 48 ? text : text.substring(0, 45) + "...";
    }
}
