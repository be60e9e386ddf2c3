package dev.httpsd.server.http2;

import dev.httpsd.server.ConnectionContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

/**
 * One stream's DATA frames as both flow-control windows and the peer's frame size allow. A frame
 * waits for credit up to the send timeout; a stream still without it then is reset (CANCEL) and
 * its writer gets a timeout, the connection living on.
 */
final class DataFrames {

    private final Http2Stream stream;
    private final Http2Protocol protocol;
    private final ConnectionContext connection;

    DataFrames(Http2Stream stream, Http2Protocol protocol, ConnectionContext connection) {
        this.stream = stream;
        this.protocol = protocol;
        this.connection = connection;
    }

    /** Writes the bytes as DATA frames, the last one ending the stream when asked; an empty one only to end. */
    void write(byte[] data, int offset, int length, boolean endStream) throws IOException {
        int maxFrame = protocol.writer.peerMaxFrameSize();
        int at = offset;
        int left = length;
        do {
            int n = acquire(Math.min(left, maxFrame), endStream, left);
            protocol.writer.data(stream.id(), data, at, n, endStream && n == left);
            at += n;
            left -= n;
        } while (left > 0);
    }

    /**
     * Waits until both windows allow some DATA, up to the send timeout, and takes up to {@code
     * wanted} octets of them; 0 needs no credit.
     */
    private int acquire(int wanted, boolean endStream, int left) throws IOException {
        long timeoutNanos = connection.timeouts().sendNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        protocol.lock.lock();
        try {
            FlowWindow connectionWindow = protocol.connectionSend();
            while (true) {
                requireOpen(stream);
                long available = Math.min(stream.lifecycle().sendWindow().available(), connectionWindow.available());
                if (wanted == 0 || available > 0) {
                    int n = (int) Math.min(wanted, Math.max(available, 0));
                    if (n > 0) {
                        connectionWindow.consume(n);
                    }
                    stream.lifecycle().sendData(n, endStream && n == left);
                    protocol.closeIfDone(stream);
                    return n;
                }
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                protocol.changed.awaitNanos(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for flow-control credit on stream " + stream.id());
        } finally {
            protocol.lock.unlock();
        }
        protocol.reset(stream, ErrorCode.CANCEL);
        throw new SocketTimeoutException(
                "stream " + stream.id() + " got no flow-control credit within the send timeout");
    }

    /** Fails a write to a stream that was reset, with the reset's reason. */
    static void requireOpen(Http2Stream stream) throws IOException {
        if (stream.isReset()) {
            throw new IOException(stream.resetReason());
        }
    }
}
