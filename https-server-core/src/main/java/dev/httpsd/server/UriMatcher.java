package dev.httpsd.server;

/**
 * Decides whether a registered URI template matches a request path ({@code
 * httpd_uri_match_func_t}). The path never includes the query string.
 */
@FunctionalInterface
public interface UriMatcher {

    /**
     * @param template the URI a handler was registered with
     * @param path the request path (query excluded), not percent-decoded
     */
    boolean matches(String template, String path);

    /** Exact string equality: the default when no matcher is configured. */
    static UriMatcher exact() {
        return String::equals;
    }

    /**
     * ESP's {@code httpd_uri_match_wildcard}: a template may end with {@code *} (any suffix), with
     * {@code ?} (the character before it is optional), or with {@code ?*} / {@code *?} (optional
     * character, then any suffix). {@code *} and {@code ?} anywhere else are literal. For example
     * {@code /api/?} matches {@code /api} and {@code /api/}; {@code /api/*} matches {@code /api/}
     * and {@code /api/status} but not {@code /api}.
     */
    static UriMatcher wildcard() {
        return WildcardMatcher.INSTANCE;
    }
}
