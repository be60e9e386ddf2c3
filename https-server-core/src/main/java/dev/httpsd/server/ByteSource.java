package dev.httpsd.server;

import java.io.IOException;

/** Where a {@link SessionInput} gets its bytes: the session's transport, or bytes in a test. */
@FunctionalInterface
interface ByteSource {

    /**
     * @return bytes read (at least 1 when {@code length > 0}), or -1 at end of stream
     * @throws java.net.SocketTimeoutException when nothing arrived within {@code timeoutMillis}
     */
    int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException;
}
