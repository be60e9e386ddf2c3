package dev.httpsd.autoconfigure.handler;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Query parameters as Spring developers know them ({@code key=value&...}, keys case-sensitive,
 * {@code %XX} and {@code +} decoded as UTF-8, a key without {@code =} has the empty value), read
 * straight from the raw query without building a map per request.
 */
final class QueryParameters {

    private QueryParameters() {}

    /** The first value of {@code key}, or {@code null}. */
    static String first(String query, String key) {
        if (query == null) {
            return null;
        }
        int start = 0;
        while (start <= query.length()) {
            int end = next(query, start);
            String value = valueAt(query, start, end, key);
            if (value != null) {
                return value;
            }
            start = end + 1;
        }
        return null;
    }

    /** Every value of {@code key}, in order; empty when there is none. */
    static List<String> all(String query, String key) {
        List<String> values = new ArrayList<>(2);
        if (query == null) {
            return values;
        }
        int start = 0;
        while (start <= query.length()) {
            int end = next(query, start);
            String value = valueAt(query, start, end, key);
            if (value != null) {
                values.add(value);
            }
            start = end + 1;
        }
        return values;
    }

    private static int next(String query, int start) {
        int end = query.indexOf('&', start);
        return end < 0 ? query.length() : end;
    }

    /** The decoded value of the pair {@code query[start, end)} if its key is {@code key}. */
    private static String valueAt(String query, int start, int end, String key) {
        if (start == end) {
            return null;
        }
        int equals = query.indexOf('=', start);
        int keyEnd = equals < 0 || equals > end ? end : equals;
        if (isPlain(query, start, keyEnd)) {
            if (keyEnd - start != key.length() || !query.regionMatches(start, key, 0, key.length())) {
                return null;
            }
        } else if (!decode(query.substring(start, keyEnd)).equals(key)) {
            return null;
        }
        return keyEnd == end ? "" : decode(query.substring(keyEnd + 1, end));
    }

    private static boolean isPlain(String query, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = query.charAt(i);
            if (c == '%' || c == '+') {
                return false;
            }
        }
        return true;
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RequestBindingException("Malformed percent-encoding in the query: " + e.getMessage(), e);
        }
    }
}
