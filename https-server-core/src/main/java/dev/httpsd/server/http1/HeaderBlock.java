package dev.httpsd.server.http1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Received header fields in order; lookups are case-insensitive and first-match, as in ESP. List
 * values (RFC 9110 §5.6.1) are read with {@link #tokens} and {@link #hasToken}.
 */
public final class HeaderBlock {

    private String[] names = new String[8];
    private String[] values = new String[8];
    private int size;

    public void add(String name, String value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    /** Replaces the value of the first field with this name, or adds the field. */
    public void set(String name, String value) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                values[i] = value;
                return;
            }
        }
        add(name, value);
    }

    public int size() {
        return size;
    }

    public String first(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    public Optional<String> firstValue(String name) {
        return Optional.ofNullable(first(name));
    }

    public List<String> all(String name) {
        List<String> found = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                found.add(values[i]);
            }
        }
        return found;
    }

    public int count(String name) {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                count++;
            }
        }
        return count;
    }

    public List<String> names() {
        return List.of(Arrays.copyOf(names, size));
    }

    /**
     * The elements of a list-valued field over all its lines, in order, trimmed of optional
     * whitespace; empty elements are dropped, as RFC 9110 §5.6.1.2 requires of recipients.
     */
    public List<String> tokens(String name) {
        List<String> tokens = null;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                tokens = elements(values[i], tokens);
            }
        }
        return tokens == null ? List.of() : tokens;
    }

    /** Whether a list-valued field has this element, compared case-insensitively; no garbage. */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name) && contains(values[i], token)) {
                return true;
            }
        }
        return false;
    }

    /** The elements of one list value, as {@link #tokens} reads them. */
    public static List<String> elements(String value) {
        List<String> elements = elements(value, null);
        return elements == null ? List.of() : elements;
    }

    private static List<String> elements(String value, List<String> into) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int from = skipSpace(value, start, end);
            int to = trimSpace(value, from, end);
            if (to > from) {
                if (into == null) {
                    into = new ArrayList<>(2);
                }
                into.add(value.substring(from, to));
            }
            start = end + 1;
        }
        return into;
    }

    private static boolean contains(String value, String token) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int from = skipSpace(value, start, end);
            int to = trimSpace(value, from, end);
            if (to - from == token.length() && value.regionMatches(true, from, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static int skipSpace(String s, int from, int to) {
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimSpace(String s, int from, int to) {
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
