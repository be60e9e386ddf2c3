package dev.httpsd.server.http2;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file as a stream's DATA: read a frame's worth at a time into one array, each piece written
 * as the windows allow, the last one ending the stream. HTTP/2 frames every piece, so the kernel's
 * sendfile has no place here; the copy is one frame's.
 */
final class FileData {

    /** Writes one piece of the body as DATA frames. */
    @FunctionalInterface
    interface Frames {
        void write(byte[] data, int offset, int length, boolean endStream) throws IOException;
    }

    private FileData() {}

    /**
     * @throws EOFException when the file ends before {@code length} bytes; the caller's stream
     *     cannot end properly then and is reset by the failure
     */
    static void send(FileChannel file, long position, long length, int frameSize, Frames frames) throws IOException {
        byte[] piece = new byte[(int) Math.min(length, frameSize)];
        long end = position + length;
        long at = position;
        while (at < end) {
            int n = file.read(ByteBuffer.wrap(piece, 0, (int) Math.min(piece.length, end - at)), at);
            if (n <= 0) {
                throw new EOFException("the file ended at byte " + at + ", before the " + end + " to send");
            }
            at += n;
            frames.write(piece, 0, n, at == end);
        }
    }
}
