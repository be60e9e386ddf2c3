package dev.httpsd.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writes of one session ({@link Transport}'s send side): every byte goes through the session's
 * send function (the socket's own, or a transport layer's override such as TLS) in pieces whose
 * progress the watchdog watches, under the session's write lock.
 */
final class Sender {

    /** Four full TLS records (the TLS channel sends them two per write system call). */
    private static final int MAX_SEND_PIECE = 64 * 1024;

    private static final int MIN_SEND_PIECE = 4 * 1024;
    /**
     * What a plain sendFile copies when the socket's buffer is full: enough for the write that
     * waits for room, little enough that the file still goes by sendfile (over 99 % of a 256 MiB
     * download on loopback).
     */
    private static final int ROOM_WAIT_PIECE = 4 * 1024;
    /** The default send timeout, for which pieces have their largest size. */
    private static final long FULL_PIECE_TIMEOUT_MILLIS = 20_000;

    private final HttpSession session;
    private final OutputStream socketOut;
    /**
     * The socket's channel (the acceptor's sockets have one: the kernel's sendfile), or one over
     * its stream.
     */
    private final WritableByteChannel socketChannel;

    private final int sendPiece;
    private final long sendTimeoutMillis;
    /**
     * Held around every write call to the session, for its whole sequence of pieces: a response
     * (head and body, or one chunk), a raw send, a WebSocket frame. Threads writing to one session
     * (its own, queued work, WebSocket senders) then never split each other's bytes.
     */
    private final ReentrantLock writeLock = new WriteLock();
    /** Passed under the write lock: a parked session resumes before its socket is written. */
    private final IdleGate gate;

    /** The override; {@code null} writes the socket itself. */
    private volatile SendFunction send;

    private volatile long sendStartedNanos;
    private volatile boolean sendTimedOut;
    private volatile boolean failed;

    Sender(HttpSession session, Socket socket, OutputStream socketOut, Duration sendTimeout, IdlePoller poller) {
        this.session = session;
        this.socketOut = socketOut;
        this.socketChannel = socket.getChannel() != null ? socket.getChannel() : Channels.newChannel(socketOut);
        this.sendPiece = sendPiece(sendTimeout);
        this.sendTimeoutMillis = sendTimeout.toMillis();
        this.gate = new IdleGate(socket.getChannel(), writeLock, poller);
    }

    IdleGate gate() {
        return gate;
    }

    /**
     * The write lock, which lets a session held for a writer ({@link IdleGate}) park again when
     * the writer lets go of it: also writers that hold it across several writes themselves.
     */
    private final class WriteLock extends ReentrantLock {
        private static final long serialVersionUID = 1L;

        @Override
        public void unlock() {
            if (getHoldCount() == 1) {
                gate.afterWrite();
            }
            super.unlock();
        }
    }

    void function(SendFunction send) {
        this.send = send;
    }

    /**
     * Writes every byte through the send function, in pieces, holding the session's write lock so
     * no other thread's bytes come between them. A piece not accepted within the send timeout gets
     * the socket closed by the watchdog: progress is a piece written, so a client that reads slowly
     * but steadily keeps its session however long the whole body takes, and one that stops reading
     * loses it about the send timeout after its last piece.
     */
    void sendAll(byte[] buffer, int offset, int length) throws IOException {
        writeLock.lock();
        try {
            gate.beforeWrite();
            SendFunction function = send;
            while (length > 0) {
                sendStartedNanos = System.nanoTime() | 1;
                int piece = Math.min(length, sendPiece);
                int n;
                if (function == null) {
                    socketOut.write(buffer, offset, piece);
                    n = piece;
                } else {
                    n = function.send(session, buffer, offset, piece);
                }
                if (n <= 0) {
                    throw new IOException("send function wrote nothing");
                }
                offset += n;
                length -= n;
            }
        } catch (IOException | RuntimeException e) {
            throw sendFailed(e);
        } finally {
            sendStartedNanos = 0;
            writeLock.unlock();
        }
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position}, under the write lock and the
     * progress watch of {@link #sendAll}. Without a send function the file goes to the socket's
     * channel with {@link FileChannel#transferTo}: the kernel's sendfile, no copy through the JVM.
     * With one (TLS), piece by piece through a pooled direct buffer that the function takes as it
     * is ({@link SendFunction#send(HttpSession, ByteBuffer)}).
     *
     * @throws EOFException when the file ends before {@code count} bytes were sent
     */
    void sendFile(FileChannel file, long position, long count, DirectBuffers buffers) throws IOException {
        writeLock.lock();
        ByteBuffer buffer = null;
        try {
            gate.beforeWrite();
            SendFunction function = send;
            long end = position + count;
            while (position < end) {
                sendStartedNanos = System.nanoTime() | 1;
                long n = 0;
                if (function == null) {
                    // a piece at a time, each one progress for the watchdog. Under a virtual
                    // thread the channel's socket is non-blocking, so sendfile never waits: with
                    // the socket's buffer full it transfers nothing, and a small piece written
                    // below waits for room (a socket without a channel: the JDK copies the piece
                    // in one blocking write)
                    n = file.transferTo(position, Math.min(end - position, sendPiece), socketChannel);
                }
                if (n == 0) {
                    if (buffer == null) {
                        buffer = buffers.acquire();
                    }
                    int piece = function == null ? ROOM_WAIT_PIECE : sendPiece;
                    n = sendFilePiece(file, position, end, piece, buffer, function);
                }
                position += n;
            }
        } catch (EOFException e) {
            throw e; // the file's end, not the peer's
        } catch (IOException | RuntimeException e) {
            throw sendFailed(e);
        } finally {
            sendStartedNanos = 0;
            if (buffer != null) {
                buffers.release(buffer);
            }
            writeLock.unlock();
        }
    }

    /**
     * Reads the file's next piece, at most {@code piece} bytes, into the buffer and sends all of it;
     * returns its length.
     */
    private int sendFilePiece(
            FileChannel file, long position, long end, int piece, ByteBuffer buffer, SendFunction function)
            throws IOException {
        buffer.clear().limit((int) Math.min(Math.min(buffer.capacity(), piece), end - position));
        int read = file.read(buffer, position);
        if (read <= 0) {
            throw new EOFException("the file ended at byte " + position + ", before the " + end + " to send");
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            sendStartedNanos = System.nanoTime() | 1;
            int n = function != null ? function.send(session, buffer) : socketChannel.write(buffer);
            if (n <= 0 && function != null) {
                throw new IOException("send function wrote nothing");
            }
        }
        return read;
    }

    private IOException sendFailed(Exception e) {
        failed = true;
        if (sendTimedOut) {
            var timeout = new SocketTimeoutException("send made no progress for " + sendTimeoutMillis + " ms");
            timeout.initCause(e);
            return timeout;
        }
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        return (IOException) e;
    }

    /**
     * The lock of {@link #sendAll}, for a caller whose one call writes several pieces (a response
     * head and its body): holding it across them keeps the call's bytes together on the wire.
     */
    ReentrantLock writeLock() {
        return writeLock;
    }

    /**
     * The piece a send is cut into: the progress a client must make within the send timeout. A
     * blocking write cannot tell how far it got, and timing each write would cost a timed park,
     * so only whole pieces count. Large pieces are cheapest (fewer system calls and TLS writes);
     * they shrink with the timeout (64 KiB from 20 s, 16 KiB at 5 s, 4 KiB below 2.5 s) so that a
     * client still taking about 3 KiB/s or more is never taken for a stuck one.
     */
    static int sendPiece(Duration sendTimeout) {
        if (sendTimeout.toMillis() >= FULL_PIECE_TIMEOUT_MILLIS) {
            return MAX_SEND_PIECE;
        }
        long perTimeout = sendTimeout.toMillis() * MAX_SEND_PIECE / FULL_PIECE_TIMEOUT_MILLIS;
        int piece = MAX_SEND_PIECE;
        while (piece > MIN_SEND_PIECE && piece > perTimeout) {
            piece /= 2;
        }
        return piece;
    }

    /**
     * Called by the watchdog: whether a send has been stuck past the timeout. The caller closes
     * the socket, which ends the blocked write; the send then reports the timeout.
     */
    boolean stuck(long nowNanos, long timeoutNanos) {
        long started = sendStartedNanos;
        if (started != 0 && nowNanos - started > timeoutNanos) {
            sendTimedOut = true;
            return true;
        }
        return false;
    }

    /** Whether a send failed: the peer hung up, reset, or stopped taking our bytes. */
    boolean failed() {
        return failed;
    }
}
