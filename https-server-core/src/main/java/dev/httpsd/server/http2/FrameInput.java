package dev.httpsd.server.http2;

import java.io.IOException;

/**
 * Where {@link FrameReader} gets its bytes: the connection's transport (after TLS) in the server,
 * a byte array in tests. Blocks until at least one byte is available.
 */
@FunctionalInterface
interface FrameInput {

    /** Reads up to {@code length} bytes; returns how many, at least 1, or -1 at end of stream. */
    int read(byte[] buffer, int offset, int length) throws IOException;
}
