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
 * @param webSocket WebSocket options when this is a WebSocket endpoint ({@code is_websocket}),
 *     else {@code null}
 */
public record UriHandler(
        String uri, HttpMethod method, RequestHandler handler, Object userContext, WebSocketOptions webSocket) {

    public UriHandler {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (uri.isEmpty()) {
            throw new IllegalArgumentException("UriHandler.uri must not be empty");
        }
        if (webSocket != null && method != HttpMethod.GET) {
            throw new IllegalArgumentException("a WebSocket handler is registered for GET (the upgrade request)");
        }
    }

    /** A plain HTTP handler. */
    public UriHandler(String uri, HttpMethod method, RequestHandler handler, Object userContext) {
        this(uri, method, handler, userContext, null);
    }

    /** A WebSocket endpoint on {@code GET uri}. */
    public static UriHandler webSocket(String uri, RequestHandler handler, WebSocketOptions options) {
        return new UriHandler(
                uri, HttpMethod.GET, handler, null, options == null ? WebSocketOptions.defaults() : options);
    }

    /** Whether this handler is a WebSocket endpoint. */
    public boolean isWebSocket() {
        return webSocket != null;
    }

    /** A handler without user context. */
    public static UriHandler of(String uri, HttpMethod method, RequestHandler handler) {
        return new UriHandler(uri, method, handler, null);
    }

    /** A copy with another user context. */
    public UriHandler withUserContext(Object context) {
        return new UriHandler(uri, method, handler, context, webSocket);
    }
}
