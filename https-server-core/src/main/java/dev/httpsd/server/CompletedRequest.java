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
 */
public record CompletedRequest(
        HttpSession session,
        HttpMethod method,
        String path,
        int status,
        long bodyBytesReceived,
        long bodyBytesSent,
        long durationNanos) {}
