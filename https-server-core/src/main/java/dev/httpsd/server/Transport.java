package dev.httpsd.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The bytes of one session: the only class that reads its socket (transport layers and the PROXY
 * header's read use {@link #rawInput()}) or writes to it (through its {@link Sender}). Every read and
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
    /** The read buffer a session starts with and goes back to when idle. */
    static final int IDLE_INPUT = 512;

    private final HttpSession session;
    private final EventSink events;
    private final Socket socket;
    private final InputStream socketIn;
    /** What receive functions read: {@link #socketIn} behind the byte the idle wait read ahead. */
    private final ReadAheadInput rawIn;

    private final OutputStream socketOut;
    private final Sender sender;
    private final IdleGate gate;

    /** The overrides; {@code null} reads or writes the socket itself. */
    private volatile RecvFunction recv;

    private volatile PendingFunction pending;
    private volatile String lockReason;

    private volatile boolean peerGone;
    private volatile long readDeadline;
    private volatile boolean readTimedOut;
    private int soTimeout = -1;
    private boolean lingerOnClose;
    private InputBuffer input;
    private String applicationProtocol;

    Transport(HttpSession session, Socket socket, Duration sendTimeout, EventSink events, IdlePoller poller)
            throws IOException {
        this.session = session;
        this.events = events;
        this.socket = socket;
        this.socketIn = socket.getInputStream();
        this.rawIn = new ReadAheadInput(socketIn);
        this.socketOut = socket.getOutputStream();
        this.sender = new Sender(session, socket, socketOut, sendTimeout, poller);
        this.gate = sender.gate();
    }

    // ---- TransportSetup: what the open hook's transport layer may use -------------------------

    @Override
    public Socket socket() {
        return socket;
    }

    @Override
    public InputStream rawInput() {
        return rawIn;
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
    public void idleRelease(BooleanSupplier release) {
        requireUnlocked();
        rawIn.layerRelease(release);
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

    /** The PROXY header's read ({@link ProxyPreamble}) set and restored it: ask the socket again. */
    void forgetSoTimeout() {
        soTimeout = -1;
    }

    // ---- the transport functions and their lock (ESP's overrides) ------------------------------

    void recvOverride(RecvFunction recv) {
        requireUnlocked();
        this.recv = recv;
    }

    void sendOverride(SendFunction send) {
        requireUnlocked();
        sender.function(send);
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
        return function == null ? rawIn.available() : function.pending(session);
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
     * A read that may come from another thread than the session's own ({@code HttpSession.recv}
     * from queued work): a parked session is resumed first, and none parks while it reads.
     */
    int recv(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
        gate.beginRead();
        try {
            return read(buffer, offset, length, timeoutMillis);
        } finally {
            gate.endRead();
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
        return readUntil(buffer, offset, length, deadlineNanos, false);
    }

    /** Whether the session may wait idle on the socket itself ({@link #awaitByte}), holding nothing. */
    boolean leanIdle() {
        return recv == null || rawIn.layerReleased();
    }

    /**
     * The lean idle wait: waits on the socket, ended by the watchdog at {@code deadlineNanos} as
     * {@link #readUntil} is, and keeps the first byte for the receive function's next read.
     *
     * @return false at end of stream
     */
    boolean awaitByte(long deadlineNanos) throws IOException {
        byte[] one = new byte[1];
        if (readUntil(one, 0, 1, deadlineNanos, true) <= 0) {
            return false;
        }
        rawIn.readAhead(one[0]);
        return true;
    }

    /** Whether the socket has input the lean idle wait would read at once (no wait, no error). */
    boolean inputWaiting() {
        try {
            return rawIn.available() > 0;
        } catch (IOException e) {
            return false; // the wait that follows meets the same failure and reports it
        }
    }

    /**
     * Instead of {@link #awaitByte}, when it can: the session's thread returns and the server's
     * poller resumes it with {@code resume} once the socket is readable (see {@link IdlePoller}),
     * which then calls {@code awaitByte}. The watchdog ends the wait at {@code deadlineNanos} as
     * it ends a read: by shutting the input down, which makes the socket readable.
     *
     * @return false when it cannot park now: wait with {@code awaitByte}
     */
    boolean park(long deadlineNanos, Runnable resume) {
        readDeadline = deadlineNanos == 0 ? 1 : deadlineNanos;
        if (gate.park(resume)) {
            return true;
        }
        readDeadline = 0;
        return false;
    }

    private int readUntil(byte[] buffer, int offset, int length, long deadlineNanos, boolean socketOnly)
            throws IOException {
        if (soTimeout != 0) {
            socket.setSoTimeout(0);
            soTimeout = 0;
        }
        readDeadline = deadlineNanos == 0 ? 1 : deadlineNanos;
        try {
            int n = socketOnly ? socketIn.read(buffer, offset, length) : receive(buffer, offset, length);
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
        return function == null ? rawIn.read(buffer, offset, length) : function.recv(session, buffer, offset, length);
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

    /** Writes every byte through the send function in watched pieces ({@link Sender#sendAll}). */
    void sendAll(byte[] buffer, int offset, int length) throws IOException {
        sender.sendAll(buffer, offset, length);
    }

    /** Sends part of a file ({@link Sender#sendFile}). */
    void sendFile(FileChannel file, long position, long count, DirectBuffers buffers) throws IOException {
        sender.sendFile(file, position, count, buffers);
    }

    /**
     * The lock of {@link #sendAll}, for a caller whose one call writes several pieces (a response
     * head and its body): holding it across them keeps the call's bytes together on the wire.
     */
    ReentrantLock writeLock() {
        return sender.writeLock();
    }

    /** Called by the watchdog: closes the socket if a send has been stuck past the timeout. */
    void checkSendProgress(long nowNanos, long timeoutNanos) {
        if (sender.stuck(nowNanos, timeoutNanos)) {
            closeSocket();
        }
    }

    // ---- what was observed, and the end -----------------------------------------------------------

    /** Whether the peer hung up, reset, or stopped taking our bytes. */
    boolean peerGone() {
        return peerGone || sender.failed();
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
        finishOutput();
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> session + ": close failed: " + e);
        }
    }

    /**
     * Sends FIN before the close, as a socket without a channel does in its own close. A channel's
     * socket (the acceptor's) closes at once on Linux, and the kernel answers a close with unread
     * input (a refused PROXY header, a TLS alert before the client's last handshake bytes were
     * read) with a lone RST that makes the client drop what we sent last, unread. After a FIN the
     * client reads all of it, then the end of stream; the RST that follows finds nothing to drop.
     * Not with SO_LINGER at 0: that asks for the abortive close.
     */
    private void finishOutput() {
        try {
            if (socket.getChannel() != null
                    && !socket.isClosed()
                    && !socket.isOutputShutdown()
                    && socket.getSoLinger() != 0) {
                socket.shutdownOutput();
            }
        } catch (IOException e) {
            // not connected any more, or closed meanwhile: the close is all there is left to do
        }
    }
}
