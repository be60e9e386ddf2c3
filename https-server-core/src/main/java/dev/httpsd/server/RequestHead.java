package dev.httpsd.server;

/**
 * A parsed and validated request head: request line, headers, and the framing and connection
 * decisions derived from them.
 */
final class RequestHead {

    /** Content length of a chunked body: unknown until read. */
    static final long CHUNKED = -1;

    /** Stands in for a head that could not be parsed, so error handlers still get a request. */
    static final RequestHead UNPARSED =
            new RequestHead(null, null, null, null, false, new HeaderBlock(), 0, false, false, new byte[0]);

    final HttpMethod method;
    final String target;
    final String path;
    final String rawQuery;
    final boolean http10;
    final HeaderBlock headers;
    final long contentLength;
    final boolean keepAlive;
    final boolean expectContinue;
    final byte[] raw;

    RequestHead(
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
        this.method = method;
        this.target = target;
        this.path = path;
        this.rawQuery = rawQuery;
        this.http10 = http10;
        this.headers = headers;
        this.contentLength = contentLength;
        this.keepAlive = keepAlive;
        this.expectContinue = expectContinue;
        this.raw = raw;
    }

    boolean chunked() {
        return contentLength == CHUNKED;
    }

    String protocol() {
        return http10 ? "HTTP/1.0" : "HTTP/1.1";
    }
}
