package dev.httpsd.server;

import java.util.Objects;

/**
 * A URI handler registration ({@code httpd_uri_t}): the URI template, the method (or {@link
 * HttpMethod#ANY}), the handler and its user context.
 *
 * @param uri the URI template, matched against request paths by the server's {@link UriMatcher}
 * @param method the method served, or {@link HttpMethod#ANY}
 * @param handler the code that serves the request
 * @param userContext handed to the handler as {@link HttpRequest#userContext()}; may be null
 */
public record UriHandler(String uri, HttpMethod method, RequestHandler handler, Object userContext) {

    public UriHandler {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (uri.isEmpty()) {
            throw new IllegalArgumentException("UriHandler.uri must not be empty");
        }
    }

    /** A handler without user context. */
    public static UriHandler of(String uri, HttpMethod method, RequestHandler handler) {
        return new UriHandler(uri, method, handler, null);
    }

    /** A copy with another user context. */
    public UriHandler withUserContext(Object context) {
        return new UriHandler(uri, method, handler, context);
    }
}
