package dev.httpsd.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A request's body as an {@link InputStream} over its {@link HttpRequest#recv}: what a protocol's
 * {@link HttpRequest#body()} returns, so that both ways of reading share one path (its events,
 * counts, 100-continue and timeouts). {@code recv}'s 0 at the end of the body is the stream's -1.
 * Part of the connection SPI.
 */
public final class RequestBodyStream extends InputStream {

    private final HttpRequest request;

    /** A stream over the request's {@code recv}; one per request, made when first asked for. */
    public RequestBodyStream(HttpRequest request) {
        this.request = Objects.requireNonNull(request, "request");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = request.recv(b, off, len);
        return n == 0 ? -1 : n;
    }
}
