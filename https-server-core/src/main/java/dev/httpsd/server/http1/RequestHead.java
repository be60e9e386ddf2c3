package dev.httpsd.server.http1;

import dev.httpsd.server.HttpMethod;

/**
 * A parsed and validated request head: request line, headers, and the framing and connection
 * decisions derived from them.
 *
 * @param method the method; {@code null} for {@link #UNPARSED}
 * @param target the request target as received
 * @param path the target's path, not percent-decoded (what handlers match)
 * @param rawQuery the query after {@code ?}, or {@code null}
 * @param http10 HTTP/1.0 rather than HTTP/1.1
 * @param headers the header fields in order
 * @param contentLength the body's length, 0 for none, {@link #CHUNKED} for a chunked body
 * @param keepAlive whether the client lets the connection persist after the response
 * @param expectContinue whether the client waits for {@code 100 Continue} before the body
 * @param raw the request line and header section as received
 */
public record RequestHead(
        HttpMethod method,
        String target,
        String path,
        String rawQuery,
        boolean http10,
        HeaderBlock headers,
        long contentLength,
        boolean keepAlive,
        boolean expectContinue,
        byte[] raw) {

    /** Content length of a chunked body: unknown until read. */
    public static final long CHUNKED = -1;

    /** Stands in for a head that could not be parsed, so error handlers still get a request. */
    public static final RequestHead UNPARSED =
            new RequestHead(null, null, null, null, false, new HeaderBlock(), 0, false, false, new byte[0]);

    public boolean chunked() {
        return contentLength == CHUNKED;
    }

    public String protocol() {
        return http10 ? "HTTP/1.0" : "HTTP/1.1";
    }
}
