package dev.httpsd.server;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a {@link Protocol} sees of the connection it serves: the session, its buffered input and
 * its writes, the server's configuration, routing and error handlers, the event sink, and the
 * session's policy (should it close, is a failure the client's). The session behind it keeps the
 * states and the close sequence to itself.
 *
 * <p>Part of the connection SPI that the server's protocol packages use: not an application
 * extension point, and without any compatibility promise.
 */
public interface ConnectionContext {

    /** The session, as handlers see it. */
    HttpSession session();

    HttpServerConfig config();

    Timeouts timeouts();

    /** The connection's read buffer: bytes received and not consumed yet, across protocols. */
    InputBuffer input();

    /** Writes all of these bytes, atomically with respect to other writers of the session. */
    void send(byte[] buffer, int offset, int length) throws IOException;

    /** The lock {@link #send} takes, for one call made of several sends (a head and its body). */
    ReentrantLock writeLock();

    /**
     * Writes {@code count} bytes of {@code file} from {@code position}, atomically with respect to
     * other writers of the session, without copying them through the heap where the transport
     * allows (a plain session: the kernel's sendfile to the socket's channel; TLS: a direct
     * buffer). The default reads the file into an array for {@link #send}.
     *
     * @throws java.io.EOFException when the file ends before {@code count} bytes
     */
    default void sendFile(FileChannel file, long position, long count) throws IOException {
        byte[] piece = new byte[(int) Math.min(count, 64 * 1024)];
        writeLock().lock();
        try {
            long end = position + count;
            while (position < end) {
                ByteBuffer buffer = ByteBuffer.wrap(piece, 0, (int) Math.min(piece.length, end - position));
                int n = file.read(buffer, position);
                if (n <= 0) {
                    throw new EOFException("the file ended at byte " + position + ", before the " + end + " to send");
                }
                send(piece, 0, n);
                position += n;
            }
        } finally {
            writeLock().unlock();
        }
    }

    EventSink events();

    /**
     * The server's HTTP/2 counters, which an HTTP/2 connection keeps up to date. A context that
     * stands for no server (a benchmark's) gets counters of its own that nobody reads.
     */
    default Http2Statistics http2Statistics() {
        return new Http2Statistics();
    }

    /** The handler for a request, or why there is none. */
    UriRouter.Route route(String path, HttpMethod method);

    /** The custom handler registered for {@code error}, or {@code null}. */
    ErrorHandler errorHandler(HttpError error);

    /**
     * Whether the connection should stop serving: the peer is gone (observed), or a close was
     * asked for it ({@code triggerClose}, a stop) or for the whole server (draining).
     */
    boolean closing();

    /**
     * Whether the server is stopping without waiting (a stop, or the end of a graceful stop's
     * grace period): work of the connection that runs on threads of its own (HTTP/2 streams) is
     * interrupted, as a stop interrupts the session's own thread.
     */
    default boolean serverStopping() {
        return false;
    }

    /** Waits, as the session's ASYNC state, until a detached request is completed. */
    void awaitAsync(CountDownLatch completed) throws InterruptedException;

    /** A request was served and the connection stays: it becomes purgeable, most recently used. */
    void requestServed();

    /** Counts a completed request in the server's statistics. */
    void requestCompleted();

    /** The connection will close with request bytes unread: linger so the client reads the answer. */
    void lingerOnClose();

    /** Whether a failure is the client's business (a hang-up, a reset) rather than a server error. */
    boolean isClientGone(Throwable failure);

    /** Logs a failure of this session at the level its cause deserves. */
    void logFailure(String what, Throwable failure);

    /** A failure the session cannot recover from: it closes once its current work is done. */
    void closeAfter(String what, Throwable failure);

    /**
     * The state of this type among what the configured {@link RequestObserver} keeps for one
     * request ({@code state}, as its {@code requestStarted} returned it): what {@link
     * HttpRequest#observation} answers.
     */
    <T> Optional<T> observation(Object state, Class<T> type);
}
