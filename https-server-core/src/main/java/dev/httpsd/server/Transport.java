package dev.httpsd.server;

import dev.httpsd.server.proxy.ProxyHeader;
import dev.httpsd.server.proxy.ProxyProtocol;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of one session: the only class that touches its socket's streams. Every read and
 * write goes through the session's receive and send functions (the socket's own, or a transport
 * layer's overrides such as TLS), so plain and TLS sessions share one implementation of the tuned
 * mechanics: reads under a socket timeout or under a deadline the watchdog enforces, sends in
 * pieces whose progress the watchdog watches, and the lingering close after an error answer.
 *
 * <p>What happened to the peer is observed here ({@link #peerGone()}): an end of stream, a reset,
 * a failed or stuck send. Whether the session should close is the owner's policy.
 */
final class Transport implements ByteSource, TransportSetup {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    /** Four full TLS records (the TLS channel sends them two per write system call). */
    private static final int MAX_SEND_PIECE = 64 * 1024;

    private static final int MIN_SEND_PIECE = 4 * 1024;
    /** The default send timeout, for which pieces have their largest size. */
    private static final long FULL_PIECE_TIMEOUT_MILLIS = 20_000;
    /** The read buffer a session starts with and goes back to when idle. */
    static final int IDLE_INPUT = 512;

    private final HttpSession session;
    private final EventSink events;
    private final Socket socket;
    private final InputStream socketIn;
    private final OutputStream socketOut;
    /** The socket's channel (the acceptor's sockets have one), for writes from direct buffers. */
    private final WritableByteChannel socketChannel;

    private final int sendPiece;
    private final long sendTimeoutMillis;
    /**
     * Held around every write call to the session, for its whole sequence of pieces: a response
     * (head and body, or one chunk), a raw send, a WebSocket frame. Threads writing to one session
     * (its own, queued work, WebSocket senders) then never split each other's bytes.
     */
    private final ReentrantLock writeLock = new ReentrantLock();

    /** The overrides; {@code null} reads or writes the socket itself. */
    private volatile RecvFunction recv;

    private volatile SendFunction send;
    private volatile PendingFunction pending;
    private volatile String lockReason;

    private volatile boolean peerGone;
    private volatile long sendStartedNanos;
    private volatile boolean sendTimedOut;
    private volatile long readDeadline;
    private volatile boolean readTimedOut;
    private int soTimeout = -1;
    private boolean lingerOnClose;
    private InputBuffer input;
    private String applicationProtocol;

    Transport(HttpSession session, Socket socket, Duration sendTimeout, EventSink events) throws IOException {
        this.session = session;
        this.events = events;
        this.socket = socket;
        this.socketIn = socket.getInputStream();
        this.socketOut = socket.getOutputStream();
        this.socketChannel = socket.getChannel() != null ? socket.getChannel() : Channels.newChannel(socketOut);
        this.sendPiece = sendPiece(sendTimeout);
        this.sendTimeoutMillis = sendTimeout.toMillis();
    }

    // ---- TransportSetup: what the open hook's transport layer may use -------------------------

    @Override
    public Socket socket() {
        return socket;
    }

    @Override
    public InputStream rawInput() {
        return socketIn;
    }

    @Override
    public OutputStream rawOutput() {
        return socketOut;
    }

    @Override
    public EventSink events() {
        return events;
    }

    @Override
    public void applicationProtocol(String name) {
        this.applicationProtocol = name;
    }

    /** The protocol the transport agreed on, or {@code null}. */
    String applicationProtocol() {
        return applicationProtocol;
    }

    /** The session's read buffer, created on first use; parsers read from it. */
    InputBuffer input() {
        if (input == null) {
            input = new InputBuffer(this, IDLE_INPUT);
        }
        return input;
    }

    // ---- before the open hook ---------------------------------------------------------------------

    /**
     * Reads the PROXY protocol header that opens the connection, straight from the socket and
     * before any transport layer: exactly the header's bytes (a version 1 line byte by byte), so
     * the client's first bytes stay in the socket for the TLS handshake or the first request. Its
     * own timeout, under a socket timeout; the watchdog's deadlines are not armed yet.
     *
     * @throws IOException when the peer is not a trusted source or sent no valid header in time
     */
    ProxyHeader readProxyHeader(ProxyProtocol proxy) throws IOException {
        try {
            return proxy.read(socket, socketIn);
        } finally {
            soTimeout = -1; // the header read changed it and put it back: ask the socket again
        }
    }

    // ---- the transport functions and their lock (ESP's overrides) ------------------------------

    void recvOverride(RecvFunction recv) {
        requireUnlocked();
        this.recv = recv;
    }

    void sendOverride(SendFunction send) {
        requireUnlocked();
        this.send = send;
    }

    void pendingOverride(PendingFunction pending) {
        requireUnlocked();
        this.pending = pending;
    }

    @Override
    public void lock(String reason) {
        this.lockReason = Objects.requireNonNull(reason, "reason");
    }

    void requireUnlocked() {
        String reason = lockReason;
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
    }

    int pending() throws IOException {
        PendingFunction function = pending;
        return function == null ? socketIn.available() : function.pending(session);
    }

    // ---- reads ------------------------------------------------------------------------------------

    /** Reads through the receive function, waiting at most {@code timeoutMillis} (0: forever). */
    @Override
    public int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
        if (timeoutMillis != soTimeout) {
            socket.setSoTimeout(timeoutMillis);
            soTimeout = timeoutMillis;
        }
        try {
            return observed(receive(buffer, offset, length));
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            peerGone = true;
            throw e;
        }
    }

    /**
     * Reads with no socket timeout: the watchdog ends the read at {@code deadlineNanos} by shutting
     * the input down, and the read then reports a timeout. Used while waiting for a request and
     * reading its head, where a timeout ends the session anyway; a timer per read is what virtual
     * threads make expensive.
     */
    @Override
    public int readUntil(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException {
        if (soTimeout != 0) {
            socket.setSoTimeout(0);
            soTimeout = 0;
        }
        readDeadline = deadlineNanos == 0 ? 1 : deadlineNanos;
        try {
            int n = receive(buffer, offset, length);
            if (readTimedOut) {
                throw new SocketTimeoutException("no data before the deadline");
            }
            return observed(n);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (readTimedOut) {
                var timeout = new SocketTimeoutException("no data before the deadline");
                timeout.initCause(e);
                throw timeout;
            }
            peerGone = true;
            throw e;
        } finally {
            readDeadline = 0;
        }
    }

    private int receive(byte[] buffer, int offset, int length) throws IOException {
        RecvFunction function = recv;
        return function == null
                ? socketIn.read(buffer, offset, length)
                : function.recv(session, buffer, offset, length);
    }

    private int observed(int n) {
        if (n < 0) {
            peerGone = true; // the peer hung up: what fails next is not a server error
        }
        return n;
    }

    /** Called by the watchdog: ends a guarded read whose deadline passed. */
    void checkReadDeadline(long nowNanos) {
        long deadline = readDeadline;
        // once: a second round while the ended read is still returning must not close the socket
        if (deadline != 0 && nowNanos - deadline > 0 && !readTimedOut) {
            readTimedOut = true;
            stopReading();
        }
    }

    // ---- writes -----------------------------------------------------------------------------------

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
     * progress watch of {@link #sendAll}. Without a send function the file goes to the socket
     * with {@link FileChannel#transferTo} (the kernel's sendfile when the socket has a channel);
     * with one (TLS), piece by piece through a pooled direct buffer that the function takes as it
     * is ({@link SendFunction#send(HttpSession, ByteBuffer)}).
     *
     * @throws EOFException when the file ends before {@code count} bytes were sent
     */
    void sendFile(FileChannel file, long position, long count, DirectBuffers buffers) throws IOException {
        writeLock.lock();
        ByteBuffer buffer = null;
        try {
            SendFunction function = send;
            long end = position + count;
            while (position < end) {
                sendStartedNanos = System.nanoTime() | 1;
                long n = 0;
                if (function == null) {
                    // a piece at a time, each one progress for the watchdog (a socket without a
                    // channel copies it in one blocking write); a channel's socket full for now
                    // transfers nothing (a virtual thread's socket does not block in sendfile):
                    // the write below waits for room
                    n = file.transferTo(position, Math.min(end - position, sendPiece), socketChannel);
                }
                if (n == 0) {
                    if (buffer == null) {
                        buffer = buffers.acquire();
                    }
                    n = sendFilePiece(file, position, end, buffer, function);
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

    /** Reads the file's next piece into the buffer and sends all of it; returns its length. */
    private int sendFilePiece(FileChannel file, long position, long end, ByteBuffer buffer, SendFunction function)
            throws IOException {
        buffer.clear().limit((int) Math.min(buffer.capacity(), Math.min(end - position, sendPiece)));
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
        peerGone = true;
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

    /** Called by the watchdog: closes the socket if a send has been stuck past the timeout. */
    void checkSendProgress(long nowNanos, long timeoutNanos) {
        long started = sendStartedNanos;
        if (started != 0 && nowNanos - started > timeoutNanos) {
            sendTimedOut = true;
            closeSocket();
        }
    }

    // ---- what was observed, and the end -----------------------------------------------------------

    /** Whether the peer hung up, reset, or stopped taking our bytes. */
    boolean peerGone() {
        return peerGone;
    }

    @Override
    public void lingerOnClose() {
        lingerOnClose = true;
    }

    /**
     * Ends a read blocked on the socket (it returns end of stream) without closing the socket, so
     * the session thread runs the close sequence itself: close hook while the socket is still
     * open, then close (reference §6.7).
     */
    void stopReading() {
        try {
            if (!socket.isInputShutdown()) {
                socket.shutdownInput();
            }
        } catch (IOException e) {
            closeSocket();
        }
    }

    /** SO_LINGER for the close that follows ({@code enable_so_linger}). */
    void lingerSeconds(int seconds) {
        try {
            socket.setSoLinger(true, seconds);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> session + ": SO_LINGER not set: " + e);
        }
    }

    /** Closes the socket, after the lingering drain when an error answer asked for one. */
    void close() {
        if (lingerOnClose) {
            LingeringDrain.drain(socket, socketIn);
        }
        closeSocket();
    }

    void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> session + ": close failed: " + e);
        }
    }
}
