package dev.httpsd.server.http1;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** {@link HttpResponse#outputStream()}: buffers writes and sends them as chunks. */
final class ChunkedOutputStream extends OutputStream {

    private static final int BUFFER_SIZE = 8 * 1024;

    private final Response response;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int count;
    private boolean closed;

    ChunkedOutputStream(Response response) {
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (count == buffer.length) {
            flush();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        Objects.checkFromIndexSize(off, len, b.length);
        if (len >= buffer.length) {
            flush();
            response.sendChunk(b, off, len);
            return;
        }
        if (count + len > buffer.length) {
            flush();
        }
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (count > 0) {
            int n = count;
            count = 0;
            response.sendChunk(buffer, 0, n);
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            flush();
            closed = true;
            response.sendChunk(buffer, 0, 0);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("response stream closed");
        }
    }
}
