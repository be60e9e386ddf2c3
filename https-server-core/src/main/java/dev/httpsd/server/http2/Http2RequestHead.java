package dev.httpsd.server.http2;

import java.util.List;

/**
 * A request's header section after {@link RequestFields} validated it (RFC 9113 §8.3.1): the
 * pseudo-header fields, the regular fields in order (lowercase names, {@code cookie} crumbs joined
 * as §8.2.3 says for HTTP/1.1 APIs) and the declared content-length.
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
}
