package dev.httpsd.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Query-string and cookie lookups with ESP-IDF's semantics, plus percent-decoding. */
final class QueryStrings {

    private QueryStrings() {}

    /** ESP's {@code httpd_query_key_value}: case-insensitive key, raw value up to the next '&'. */
    static Optional<String> valueOf(String query, String key) {
        if (query == null || key == null) {
            return Optional.empty();
        }
        int start = 0;
        int length = query.length();
        while (start < length) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            int equals = query.indexOf('=', start);
            if (equals < 0 || equals > end) {
                // ESP stops at the first pair without '='
                return Optional.empty();
            }
            if (equals - start == key.length() && query.regionMatches(true, start, key, 0, key.length())) {
                return Optional.of(query.substring(equals + 1, end));
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    /** ESP's {@code httpd_req_get_cookie_val}: pairs separated by ';', case-insensitive name. */
    static Optional<String> cookie(String header, String name) {
        if (header == null || name == null) {
            return Optional.empty();
        }
        for (String pair : header.split(";")) {
            String trimmed = pair.strip();
            int equals = trimmed.indexOf('=');
            if (equals > 0 && trimmed.substring(0, equals).strip().equalsIgnoreCase(name)) {
                String value = trimmed.substring(equals + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8 and {@code +} as space. A malformed escape is kept as
     * is rather than failing the lookup.
     */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        var bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%'
                    && i + 2 < raw.length()
                    && hexValue(raw.charAt(i + 1)) >= 0
                    && hexValue(raw.charAt(i + 2)) >= 0) {
                bytes.write(hexValue(raw.charAt(i + 1)) * 16 + hexValue(raw.charAt(i + 2)));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The value of an ASCII hex digit, or -1 (a digit of another script is not an escape). */
    static int hexValue(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }
}
