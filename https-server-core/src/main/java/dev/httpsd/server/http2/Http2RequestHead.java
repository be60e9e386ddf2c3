package dev.httpsd.server.http2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's header section after {@link RequestFields} validated it (RFC 9113 §8.3.1): the
 * pseudo-header fields, the regular fields in order (lowercase names, {@code cookie} crumbs joined
 * as §8.2.3 says for HTTP/1.1 APIs) and the declared content-length. Read as HTTP/1.1 handlers
 * expect it, {@code :authority} is the {@code host} field.
 *
 * @param authority from {@code :authority}, else {@code host}
 * @param scheme null for CONNECT (§8.5)
 * @param path origin-form (starts with {@code /}), {@code *} for OPTIONS, null for CONNECT
 * @param contentLength -1 when absent
 */
record Http2RequestHead(
        String method, String scheme, String authority, String path, List<HeaderField> fields, long contentLength) {

    /** The first value of a field, by its lowercase name; null when absent. */
    String first(String name) {
        for (HeaderField field : fields) {
            if (field.name().equals(name)) {
                return field.value();
            }
        }
        return null;
    }

    /** The first value of a field by its lowercase name, {@code host} being the authority; or null. */
    String value(String name) {
        return name.equals("host") ? authority : first(name);
    }

    /** Every value of a field by its lowercase name, {@code host} being the authority. */
    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        if (name.equals("host")) {
            return authority == null ? values : List.of(authority);
        }
        for (HeaderField field : fields) {
            if (field.name().equals(name)) {
                values.add(field.value());
            }
        }
        return values;
    }

    /** The field names in lowercase, each once, {@code host} first (from the authority). */
    List<String> names() {
        List<String> names = new ArrayList<>();
        if (authority != null) {
            names.add("host");
        }
        for (HeaderField field : fields) {
            if (!names.contains(field.name())) {
                names.add(field.name());
            }
        }
        return names;
    }

    /**
     * An HTTP/1.1-style rendering, for logging: {@code METHOD target HTTP/2.0}, {@code host},
     * then the fields, ending with the empty line.
     */
    byte[] render() {
        StringBuilder text = new StringBuilder();
        text.append(method).append(' ').append(path).append(" HTTP/2.0\r\n");
        if (authority != null) {
            text.append("host: ").append(authority).append("\r\n");
        }
        for (HeaderField field : fields) {
            text.append(field.name()).append(": ").append(field.value()).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
