package dev.httpsd.server;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A per-session send function ({@code httpd_send_func_t}), installed with {@link
 * HttpSession#setSendOverride}. It may write fewer bytes than asked; the server calls it again
 * for the rest.
 */
@FunctionalInterface
public interface SendFunction {

    /**
     * @return the number of bytes written, at least 1 when {@code length > 0}
     * @throws IOException when the peer is gone or the write failed
     */
    int send(HttpSession session, byte[] buffer, int offset, int length) throws IOException;

    /**
     * Sends bytes the server holds in a buffer, usually a direct one (a file's, for {@link
     * HttpResponse#sendFile}): from its position, advancing the position past the bytes written.
     * The default copies them into an array for {@link #send(HttpSession, byte[], int, int)}; a
     * transport layer that can take the buffer itself (TLS encrypts straight from it) overrides
     * this.
     *
     * @return the number of bytes written, at least 1 when bytes remain
     * @throws IOException when the peer is gone or the write failed
     */
    default int send(HttpSession session, ByteBuffer buffer) throws IOException {
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(buffer.position(), copy);
        int n = send(session, copy, 0, copy.length);
        buffer.position(buffer.position() + n);
        return n;
    }
}
