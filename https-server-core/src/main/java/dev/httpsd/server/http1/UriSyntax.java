package dev.httpsd.server.http1;

/**
 * The URI syntax the request head parser checks (RFC 3986 as used by RFC 9112 §3.2 and RFC 9110
 * §4.2, §7.2): the path and query of a request target, and {@code uri-host [":" port]} in Host
 * fields and targets. Strict: every character outside the grammar, and every {@code %} not
 * followed by two hex digits, makes the whole value invalid.
 */
final class UriSyntax {

    private static final int MAX_PORT = 65535;

    /** unreserved / sub-delims: what a reg-name is made of, besides pct-encoded. */
    private static final boolean[] REG_NAME = new boolean[128];
    /** pchar plus "/" and "?": what path-abempty and query are made of, besides pct-encoded. */
    private static final boolean[] PATH_OR_QUERY = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) REG_NAME[c] = true;
        for (char c = 'a'; c <= 'z'; c++) REG_NAME[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) REG_NAME[c] = true;
        for (char c : "-._~!$&'()*+,;=".toCharArray()) REG_NAME[c] = true;
        System.arraycopy(REG_NAME, 0, PATH_OR_QUERY, 0, REG_NAME.length);
        for (char c : ":@/?".toCharArray()) PATH_OR_QUERY[c] = true;
    }

    private UriSyntax() {}

    /** Whether {@code s[from, to)} is path-abempty [ "?" query ]: pchars, "/", "?" and escapes. */
    static boolean isPathAndQuery(String s, int from, int to) {
        return isMadeOf(PATH_OR_QUERY, s, from, to);
    }

    /**
     * Whether {@code s} is {@code uri-host [":" port]}, the port at most 65535.
     *
     * @param emptyHost whether the host may be empty (a Host field may be; an http URI's may not)
     * @param portRequired whether the ":" port part must be there (CONNECT's authority-form)
     */
    static boolean isHostAndPort(String s, boolean emptyHost, boolean portRequired) {
        int hostEnd;
        if (s.startsWith("[")) {
            hostEnd = s.indexOf(']') + 1;
            if (hostEnd == 0 || !isIpLiteral(s, 1, hostEnd - 1)) {
                return false;
            }
        } else {
            hostEnd = s.indexOf(':');
            if (hostEnd < 0) {
                hostEnd = s.length();
            }
            if (!isMadeOf(REG_NAME, s, 0, hostEnd) || (hostEnd == 0 && !emptyHost)) {
                return false;
            }
        }
        if (hostEnd == s.length()) {
            return !portRequired;
        }
        return s.charAt(hostEnd) == ':' && isPort(s, hostEnd + 1, portRequired);
    }

    /** An empty port is allowed by RFC 3986 §3.2.3, unless one is required. */
    private static boolean isPort(String s, int from, boolean required) {
        int length = s.length() - from;
        if (length == 0) {
            return !required;
        }
        if (length > 5) {
            return false;
        }
        int port = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= MAX_PORT;
    }

    /**
     * IPv6address or IPvFuture inside the brackets. IPv6 is checked for its alphabet only (hex
     * digits, ":" and the "." of an embedded IPv4 address) and needs at least one ":".
     */
    private static boolean isIpLiteral(String s, int from, int to) {
        if (from < to && (s.charAt(from) == 'v' || s.charAt(from) == 'V')) {
            int dot = s.indexOf('.', from);
            if (dot < 0 || dot >= to - 1 || dot == from + 1) {
                return false;
            }
            for (int i = from + 1; i < dot; i++) {
                if (Ascii.hexValue(s.charAt(i)) < 0) {
                    return false;
                }
            }
            for (int i = dot + 1; i < to; i++) {
                char c = s.charAt(i);
                if (c >= 128 || !(REG_NAME[c] || c == ':')) {
                    return false;
                }
            }
            return true;
        }
        boolean colon = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                colon = true;
            } else if (c != '.' && Ascii.hexValue(c) < 0) {
                return false;
            }
        }
        return colon;
    }

    private static boolean isMadeOf(boolean[] allowed, String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || Ascii.hexValue(s.charAt(i + 1)) < 0 || Ascii.hexValue(s.charAt(i + 2)) < 0) {
                    return false;
                }
                i += 2;
            } else if (c >= 128 || !allowed[c]) {
                return false;
            }
        }
        return true;
    }
}
