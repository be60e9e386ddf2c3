package dev.httpsd.server.proxy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One {@code Forwarded} field line (RFC 7239 §4) split into its elements:
 *
 * <pre>
 * Forwarded         = 1#forwarded-element
 * forwarded-element = [ forwarded-pair ] *( ";" [ forwarded-pair ] )
 * forwarded-pair    = token "=" value
 * value             = token / quoted-string
 * </pre>
 *
 * Parameter names are case-insensitive and may not repeat within an element; a value is a token or
 * a quoted string (so an IPv6 node, which holds {@code [} and {@code :}, must be quoted). Optional
 * whitespace is allowed around {@code ,} (the list rule) and {@code ;}, nowhere else. Empty list
 * elements are skipped. Unknown parameters (extensions) are checked for syntax and ignored.
 */
final class ForwardedParser {

    /** The parameters of one element; {@code null} where absent. Values are unquoted. */
    record Element(String forNode, String by, String host, String proto) {}

    private final String line;
    private int at;

    private ForwardedParser(String line) {
        this.line = line;
    }

    /** The line's elements in order, or {@code null} when the line is not valid {@code Forwarded} syntax. */
    static List<Element> parse(String line) {
        return new ForwardedParser(line).elements();
    }

    private List<Element> elements() {
        List<Element> elements = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (at < line.length() && line.charAt(at) != ',') {
                Element element = element();
                if (element == null) {
                    return null;
                }
                elements.add(element);
                skipWhitespace();
            }
            if (at == line.length()) {
                return elements;
            }
            if (line.charAt(at) != ',') {
                return null;
            }
            at++;
        }
    }

    private Element element() {
        String forNode = null;
        String by = null;
        String host = null;
        String proto = null;
        Set<String> names = new HashSet<>();
        while (true) {
            if (at < line.length() && isTokenChar(line.charAt(at))) {
                String name = token().toLowerCase(Locale.ROOT);
                if (!names.add(name) || at == line.length() || line.charAt(at) != '=') {
                    return null;
                }
                at++;
                String value = value();
                if (value == null) {
                    return null;
                }
                switch (name) {
                    case "for" -> forNode = value;
                    case "by" -> by = value;
                    case "host" -> host = value;
                    case "proto" -> proto = value;
                    default -> {}
                }
            }
            int beforeWhitespace = at;
            skipWhitespace();
            if (at < line.length() && line.charAt(at) == ';') {
                at++;
                skipWhitespace();
                continue;
            }
            at = beforeWhitespace;
            return new Element(forNode, by, host, proto);
        }
    }

    private String value() {
        if (at == line.length()) {
            return null;
        }
        if (line.charAt(at) != '"') {
            return isTokenChar(line.charAt(at)) ? token() : null;
        }
        StringBuilder value = new StringBuilder();
        at++;
        while (at < line.length()) {
            char c = line.charAt(at++);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\') {
                if (at == line.length() || !isQuotedPairChar(line.charAt(at))) {
                    return null;
                }
                value.append(line.charAt(at++));
            } else if (isQuotedTextChar(c)) {
                value.append(c);
            } else {
                return null;
            }
        }
        return null; // no closing quote
    }

    private String token() {
        int start = at;
        while (at < line.length() && isTokenChar(line.charAt(at))) {
            at++;
        }
        return line.substring(start, at);
    }

    private void skipWhitespace() {
        while (at < line.length() && (line.charAt(at) == ' ' || line.charAt(at) == '\t')) {
            at++;
        }
    }

    /** RFC 9110 §5.6.2 tchar. */
    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** RFC 9110 §5.6.4 qdtext: HTAB, SP, visible characters but {@code "} and {@code \}, obs-text. */
    private static boolean isQuotedTextChar(char c) {
        return c == '\t'
                || c == ' '
                || c == 0x21
                || (c >= 0x23 && c <= 0x5b)
                || (c >= 0x5d && c <= 0x7e)
                || (c >= 0x80 && c <= 0xff);
    }

    /** The character after a backslash: HTAB, SP, visible characters, obs-text. */
    private static boolean isQuotedPairChar(char c) {
        return c == '\t' || c == ' ' || (c >= 0x21 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
    }
}
