package dev.httpsd.server.http2;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@link Http2Response#outputStream()}: every write is a chunk of the response body ({@code
 * sendChunk}), and closing the stream ends the response, as on HTTP/1.1.
 */
final class Http2ResponseStream extends OutputStream {

    private static final byte[] END = new byte[0];

    private final Http2Response response;

    Http2ResponseStream(Http2Response response) {
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        response.sendChunk(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > 0) {
            response.sendChunk(b, off, len);
        }
    }

    @Override
    public void close() throws IOException {
        if (!response.finished()) {
            response.sendChunk(END, 0, 0);
        }
    }
}
