package dev.httpsd.server;

/**
 * What {@link RequestObserver} learns about one request.
 *
 * @param session the session it arrived on
 * @param method the method, or {@code null} when the request head could not be parsed
 * @param path the path, or {@code null} when the request head could not be parsed
 * @param status the response status (101 for a WebSocket upgrade, whose duration is then the
 *     WebSocket's lifetime)
 * @param bodyBytesReceived request body bytes read by the handler or drained
 * @param bodyBytesSent response body bytes sent
 * @param durationNanos from the parsed head to the complete response
 * @param request the request itself: its head (target, protocol, headers) stays readable, its
 *     body is gone; {@code null} only where a completed request was made by hand
 * @param uriTemplate the URI of the handler that served the request ({@link UriHandler#uri()},
 *     the template it was registered with, e.g. {@code /files/*}), or {@code null} when no handler
 *     matched: 404, 405, or a head that could not be parsed
 * @param exception what the handler (or the thread completing an async request) threw, or {@code
 *     null}; errors the server answered by itself (a malformed head, say) carry none
 */
public record CompletedRequest(
        HttpSession session,
        HttpMethod method,
        String path,
        int status,
        long bodyBytesReceived,
        long bodyBytesSent,
        long durationNanos,
        HttpRequest request,
        String uriTemplate,
        Throwable exception) {

    /** A completed request with only the counts, as observers were told before templates. */
    public CompletedRequest(
            HttpSession session,
            HttpMethod method,
            String path,
            int status,
            long bodyBytesReceived,
            long bodyBytesSent,
            long durationNanos) {
        this(session, method, path, status, bodyBytesReceived, bodyBytesSent, durationNanos, null, null, null);
    }
}
