package dev.httpsd.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A URI template with variables, compiled once: {@code /items/{id}} (a variable is a whole path
 * segment, at least one character) and a trailing {@code {*rest}} (the rest of the path, from its
 * {@code /}, possibly empty). Matching walks the path without allocating; only a match's {@link
 * #capture} does.
 */
final class UriTemplate {

    private final String source;
    /** Per segment before any {@code {*rest}}: its literal text, or {@code null} for a variable. */
    private final String[] literals;
    /** Variable names in template order; the last is the rest variable when {@link #rest}. */
    private final String[] names;

    private final boolean rest;

    private UriTemplate(String source, String[] literals, String[] names, boolean rest) {
        this.source = source;
        this.literals = literals;
        this.names = names;
        this.rest = rest;
    }

    /** Whether the text uses template syntax at all: a brace anywhere. */
    static boolean hasBraces(String uri) {
        return uri.indexOf('{') >= 0 || uri.indexOf('}') >= 0;
    }

    /**
     * Compiles a template.
     *
     * @throws IllegalArgumentException saying what is wrong when braces are used other than as
     *     whole-segment variables and one trailing rest variable, or a name repeats
     */
    static UriTemplate compile(String template) {
        if (!template.startsWith("/")) {
            throw invalid(template, "it must start with '/'");
        }
        List<String> literals = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean rest = false;
        String[] segments = template.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (!hasBraces(segment)) {
                literals.add(segment);
                continue;
            }
            if (!segment.startsWith("{") || !segment.endsWith("}") || segment.length() < 3) {
                throw invalid(
                        template, "a variable is a whole path segment, as in /items/{id}; '" + segment + "' is not");
            }
            String name = segment.substring(1, segment.length() - 1);
            if (name.startsWith("*")) {
                if (i != segments.length - 1) {
                    throw invalid(template, "the rest variable {" + name + "} must be the last segment");
                }
                name = name.substring(1);
                rest = true;
            } else {
                literals.add(null);
            }
            if (!isName(name)) {
                throw invalid(template, "'" + name + "' is not a variable name (letters, digits, '_', '-', '.')");
            }
            if (!seen.add(name)) {
                throw invalid(template, "the variable {" + name + "} appears twice");
            }
            names.add(name);
        }
        return new UriTemplate(template, literals.toArray(String[]::new), names.toArray(String[]::new), rest);
    }

    private static boolean isName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid(String template, String why) {
        return new IllegalArgumentException("invalid URI template " + template + ": " + why);
    }

    String source() {
        return source;
    }

    /** Whether the path (no query, not decoded) matches. Allocates nothing. */
    boolean matches(String path) {
        return end(path) >= 0;
    }

    /**
     * Where the segments before the rest variable end in {@code path} (where the rest starts), or
     * -1 when the path does not match.
     */
    private int end(String path) {
        int length = path.length();
        if (length == 0 || path.charAt(0) != '/') {
            return -1;
        }
        if (literals.length == 0) {
            return rest ? 0 : -1;
        }
        int position = 1;
        for (int i = 0; i < literals.length; i++) {
            int end = path.indexOf('/', position);
            if (end < 0) {
                end = length;
            }
            String literal = literals[i];
            if (literal == null) {
                if (end == position) {
                    return -1; // a variable takes at least one character
                }
            } else if (end - position != literal.length()
                    || !path.regionMatches(position, literal, 0, end - position)) {
                return -1;
            }
            if (i == literals.length - 1) {
                return rest || end == length ? end : -1;
            }
            if (end == length) {
                return -1;
            }
            position = end + 1;
        }
        return -1; // not reached: the loop returns at its last segment
    }

    /**
     * The variables' values in a path that {@link #matches}: percent-decoded as UTF-8 ({@code +}
     * stays a plus, as in a path); the rest variable keeps its leading {@code /}.
     *
     * @return {@code null} when the path does not match
     */
    PathVariables capture(String path) {
        int restStart = end(path);
        if (restStart < 0) {
            return null;
        }
        String[] values = new String[names.length];
        int variable = 0;
        int position = 1;
        for (int i = 0; i < literals.length; i++) {
            int end = i == literals.length - 1 ? restStart : path.indexOf('/', position);
            if (literals[i] == null) {
                values[variable++] = decode(path, position, end);
            }
            position = end + 1;
        }
        if (rest) {
            values[variable] = decode(path, restStart, path.length());
        }
        return new PathVariables(names, values);
    }

    /**
     * Whether every path {@code other} matches is matched by this template too: a handler with
     * this template registered first would leave none of them to {@code other}.
     */
    boolean covers(UriTemplate other) {
        if (other.literals.length < literals.length) {
            return false;
        }
        if (!rest && (other.rest || other.literals.length != literals.length)) {
            return false;
        }
        for (int i = 0; i < literals.length; i++) {
            if (literals[i] != null && !literals[i].equals(other.literals[i])) {
                return false;
            }
        }
        return true;
    }

    private static String decode(String path, int from, int to) {
        int escape = path.indexOf('%', from);
        if (escape < 0 || escape >= to) {
            return path.substring(from, to);
        }
        var bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < to) {
                int high = QueryStrings.hexValue(path.charAt(i + 1));
                int low = QueryStrings.hexValue(path.charAt(i + 2));
                if (high >= 0 && low >= 0) {
                    bytes.write(high * 16 + low);
                    i += 2;
                    continue;
                }
            }
            byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            bytes.write(encoded, 0, encoded.length);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return source;
    }
}
