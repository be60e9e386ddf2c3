package dev.httpsd.server;

import dev.httpsd.server.proxy.ProxyHeader;
import dev.httpsd.server.proxy.ProxyProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One connection, owned by one virtual thread from accept to close.
 *
 * <pre>
 *   OPEN ──open hook (TLS handshake)──▶ IDLE ◀─────────────────────────┐
 *                                        │ first byte                    │ response done,
 *                                        ▼                               │ body drained
 *                                      BUSY: read head ─▶ handler ─▶ (ASYNC: wait complete())
 *                                        │ error, close asked, peer gone, idle timeout,
 *                                        ▼ LRU purge (IDLE only), server stop
 *                                     CLOSING: close hook ─▶ socket closed ─▶ DISCONNECTED
 *                                        ─▶ free user ctx ─▶ free transport ctx ─▶ CLOSED
 * </pre>
 *
 * {@link #run()} is the single owner: whatever happens, its finally block runs the close sequence
 * in ESP's order (reference §6.7) and gives the session slot back.
 */
final class Session implements HttpSession, Runnable, ByteSource {

    static final int OPEN = 0;
    static final int IDLE = 1;
    static final int BUSY = 2;
    static final int ASYNC = 3;
    static final int CLOSING = 4;
    static final int CLOSED = 5;

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    /** Four full TLS records (the TLS channel sends them two per write system call). */
    private static final int MAX_SEND_PIECE = 64 * 1024;

    private static final int MIN_SEND_PIECE = 4 * 1024;
    /** The default send timeout, for which pieces have their largest size. */
    private static final long FULL_PIECE_TIMEOUT_MILLIS = 20_000;
    /** The response buffer a request starts with; it grows for large heads and small bodies. */
    private static final int IDLE_OUTPUT = 512;

    private static final RecvFunction SOCKET_RECV = (s, b, off, len) -> ((Session) s).socketIn.read(b, off, len);
    private static final SendFunction SOCKET_SEND = (s, b, off, len) -> {
        ((Session) s).socketOut.write(b, off, len);
        return len;
    };
    private static final PendingFunction SOCKET_PENDING = s -> ((Session) s).socketIn.available();

    private final HttpServer server;
    private final int id;
    private final Socket socket;
    private final InputStream socketIn;
    private final OutputStream socketOut;
    /** The peer, or the client a PROXY header named: set before anything but the acceptor sees it. */
    private volatile InetSocketAddress remote;
    /** The balancer when a PROXY header replaced {@link #remote}; null otherwise. */
    private volatile InetSocketAddress proxiedFrom;

    private volatile ProxyHeader proxyHeader;
    private final InetSocketAddress local;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private final ContextSlot userContext = new ContextSlot("user context");
    private final ContextSlot transportContext = new ContextSlot("transport context");
    /**
     * Held around every write call to the session, for its whole sequence of pieces: a response
     * (head and body, or one chunk), a raw send, a WebSocket frame. Threads writing to one session
     * (its own, queued work, WebSocket senders) then never split each other's bytes.
     */
    private final ReentrantLock writeLock = new ReentrantLock();

    private volatile RecvFunction recv = SOCKET_RECV;
    private volatile SendFunction send = SOCKET_SEND;
    private volatile PendingFunction pending = SOCKET_PENDING;
    private volatile String transportLock;

    private volatile boolean closeWanted;
    private volatile long lruCounter;
    private volatile long sendStartedNanos;
    private volatile boolean sendTimedOut;
    private volatile long readDeadline;
    private volatile boolean readTimedOut;
    private volatile Thread thread;
    private volatile WebSocketConnection webSocket;
    private volatile int servedRequests;
    private final int sendPiece;
    private int soTimeout = -1;
    private boolean lingerOnClose;
    private ByteSink output;

    Session(HttpServer server, int id, Socket socket) throws IOException {
        this.server = server;
        this.id = id;
        this.socket = socket;
        this.socketIn = socket.getInputStream();
        this.socketOut = socket.getOutputStream();
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
        this.lruCounter = server.sessions().lruClock();
        this.sendPiece = sendPiece(server.config().sendWaitTimeout());
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            if (server.config().proxyProtocol() != null
                    && !readProxyHeader(server.config().proxyProtocol())) {
                return;
            }
            OpenHook hook = server.config().openHook();
            if (hook != null) {
                try {
                    hook.onOpen(this);
                } catch (Exception e) {
                    // e.g. a failed TLS handshake: the hook's layer reports it, ESP just closes
                    LOG.log(Level.DEBUG, () -> this + ": open hook rejected the session: " + e);
                    return;
                }
            }
            post(HttpServerEvent.Id.ON_CONNECTED, 0, null);
            if (state.compareAndSet(OPEN, BUSY)) {
                new RequestLoop(this).run();
            }
        } catch (Throwable t) {
            logFailure("session ended", t);
        } finally {
            // an interrupt from abort() has done its job; the close sequence must run in full
            Thread.interrupted();
            close();
        }
    }

    /**
     * The pre-open step of the PROXY protocol: the header before any other byte (before TLS).
     *
     * @return false when the connection is refused (logged at DEBUG with the reason)
     */
    private boolean readProxyHeader(ProxyProtocol proxy) {
        ProxyHeader header;
        try {
            header = proxy.read(socket, socketIn);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> this + ": refused: " + e.getMessage());
            return false;
        }
        proxyHeader = header;
        header.clientAddress().ifPresent(client -> {
            proxiedFrom = remote;
            remote = client;
        });
        return true;
    }

    // ---- HttpSession -------------------------------------------------------------------------

    @Override
    public int id() {
        return id;
    }

    @Override
    public HttpServer server() {
        return server;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public Optional<InetSocketAddress> proxiedFrom() {
        return Optional.ofNullable(proxiedFrom);
    }

    @Override
    public Optional<ProxyHeader> proxyHeader() {
        return Optional.ofNullable(proxyHeader);
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public Socket socket() {
        return socket;
    }

    @Override
    public Object context() {
        return userContext.get();
    }

    @Override
    public void setContext(Object context, Consumer<Object> free) {
        userContext.set(context, free, this);
    }

    @Override
    public Object transportContext() {
        return transportContext.get();
    }

    @Override
    public void setTransportContext(Object context, Consumer<Object> free) {
        requireUnlocked();
        transportContext.set(context, free, this);
    }

    @Override
    public void setRecvOverride(RecvFunction recv) {
        requireUnlocked();
        this.recv = recv == null ? SOCKET_RECV : recv;
    }

    @Override
    public void setSendOverride(SendFunction send) {
        requireUnlocked();
        this.send = send == null ? SOCKET_SEND : send;
    }

    @Override
    public void setPendingOverride(PendingFunction pending) {
        requireUnlocked();
        this.pending = pending == null ? SOCKET_PENDING : pending;
    }

    @Override
    public void lockTransport(String reason) {
        this.transportLock = java.util.Objects.requireNonNull(reason, "reason");
    }

    private void requireUnlocked() {
        String reason = transportLock;
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
    }

    @Override
    public int recv(byte[] buffer, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, java.util.Objects.requireNonNull(buffer, "buffer").length);
        return recvTimed(
                buffer, offset, length, (int) server.config().recvWaitTimeout().toMillis());
    }

    @Override
    public void send(byte[] buffer, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, java.util.Objects.requireNonNull(buffer, "buffer").length);
        sendAll(buffer, offset, length);
    }

    @Override
    public int pending() throws IOException {
        return pending.pending(this);
    }

    @Override
    public void triggerClose() {
        WebSocketConnection ws = webSocket;
        if (ws != null) {
            ws.closeQuietly(WebSocketConnection.GOING_AWAY, "server closing the session");
        }
        closeWanted = true;
        if (state.compareAndSet(IDLE, CLOSING)) {
            stopReading();
        }
    }

    @Override
    public void updateLruCounter() {
        lruCounter = server.sessions().nextLruTick();
    }

    @Override
    public boolean isOpen() {
        return state.get() < CLOSING;
    }

    @Override
    public String toString() {
        return "session " + id + " (" + remote + ")";
    }

    // ---- I/O used by the request loop, request and response -------------------------------

    /** Reads through the session's receive function, waiting at most {@code timeoutMillis}. */
    int recvTimed(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
        if (timeoutMillis != soTimeout) {
            socket.setSoTimeout(timeoutMillis);
            soTimeout = timeoutMillis;
        }
        try {
            int n = recv.recv(this, buffer, offset, length);
            if (n < 0) {
                closeWanted = true; // the peer hung up: what fails next is not a server error
            }
            return n;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            closeWanted = true;
            throw e;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
        return recvTimed(buffer, offset, length, timeoutMillis);
    }

    /**
     * Reads with no socket timeout: the server's watchdog ends the read at {@code deadlineNanos}
     * by shutting the input down, and the read then reports a timeout. Used while waiting for a
     * request and reading its head, where a timeout ends the session anyway; a timer per read is
     * what virtual threads make expensive.
     */
    @Override
    public int readUntil(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException {
        if (soTimeout != 0) {
            socket.setSoTimeout(0);
            soTimeout = 0;
        }
        readDeadline = deadlineNanos == 0 ? 1 : deadlineNanos;
        try {
            int n = recv.recv(this, buffer, offset, length);
            if (readTimedOut) {
                throw new SocketTimeoutException("no data before the deadline");
            }
            if (n < 0) {
                closeWanted = true; // the peer hung up: what fails next is not a server error
            }
            return n;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (readTimedOut) {
                var timeout = new SocketTimeoutException("no data before the deadline");
                timeout.initCause(e);
                throw timeout;
            }
            closeWanted = true;
            throw e;
        } finally {
            readDeadline = 0;
        }
    }

    /** Called by the watchdog: ends a guarded read whose deadline passed. */
    void checkReadDeadline(long nowNanos) {
        long deadline = readDeadline;
        if (deadline != 0 && nowNanos - deadline > 0) {
            readTimedOut = true;
            stopReading();
        }
    }

    /**
     * Writes every byte through the send function, in pieces, holding the session's write lock so
     * no other thread's bytes come between them. A piece not accepted within the send timeout gets
     * the socket closed by the server's watchdog: progress is a piece written, so a client that
     * reads slowly but steadily keeps its session however long the whole body takes, and one that
     * stops reading loses it about the send timeout after its last piece.
     */
    void sendAll(byte[] buffer, int offset, int length) throws IOException {
        writeLock.lock();
        try {
            while (length > 0) {
                sendStartedNanos = System.nanoTime() | 1;
                int n = send.send(this, buffer, offset, Math.min(length, sendPiece));
                if (n <= 0) {
                    throw new IOException("send function wrote nothing");
                }
                offset += n;
                length -= n;
            }
        } catch (IOException | RuntimeException e) {
            closeWanted = true;
            if (sendTimedOut) {
                var timeout = new SocketTimeoutException("send made no progress for "
                        + server.config().sendWaitTimeout().toMillis() + " ms");
                timeout.initCause(e);
                throw timeout;
            }
            throw e;
        } finally {
            sendStartedNanos = 0;
            writeLock.unlock();
        }
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
    static int sendPiece(java.time.Duration sendTimeout) {
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
            closeSocketQuietly();
        }
    }

    ByteSink outputBuffer() {
        if (output == null) {
            output = new ByteSink(IDLE_OUTPUT);
        }
        return output;
    }

    /**
     * Drops the response buffer between requests: an idle session holds none, and the next
     * response takes a fresh small one (cheaper than keeping one per idle connection).
     */
    void releaseIdleBuffers() {
        output = null;
    }

    // ---- state used by the request loop and the server ------------------------------------

    boolean closeWanted() {
        return closeWanted || server.isDraining();
    }

    boolean toIdle() {
        return state.compareAndSet(BUSY, IDLE);
    }

    boolean toBusy() {
        return state.compareAndSet(IDLE, BUSY);
    }

    void toAsync() {
        state.compareAndSet(BUSY, ASYNC);
    }

    void fromAsync() {
        state.compareAndSet(ASYNC, BUSY);
    }

    int state() {
        return state.get();
    }

    long lruCounter() {
        return lruCounter;
    }

    /** Eligible for LRU purge: idle, has served a request, not owned by an async handler. */
    boolean purgeable() {
        return state.get() == IDLE && servedRequests > 0;
    }

    /** Closes an idle session chosen by LRU purge; false if it stopped being idle meanwhile. */
    boolean purge() {
        if (state.compareAndSet(IDLE, CLOSING)) {
            stopReading();
            return true;
        }
        return false;
    }

    /**
     * Closes the session at once (server stop). A blocked read ends at once; a thread waiting
     * for an async request's {@code complete()}, or blocked in a handler, is interrupted, or stop
     * would wait for it.
     */
    void abort() {
        closeWanted = true;
        int before = state.getAndUpdate(s -> s < CLOSING ? CLOSING : s);
        stopReading();
        Thread owner = thread;
        if ((before == BUSY || before == ASYNC) && owner != null && owner != Thread.currentThread()) {
            owner.interrupt();
        }
    }

    void requestServed() {
        servedRequests++;
        lruCounter = server.sessions().nextLruTick();
    }

    /** The connection closes with input possibly unread: linger so the client reads our answer. */
    void lingerOnClose() {
        lingerOnClose = true;
    }

    Thread thread() {
        return thread;
    }

    /** The WebSocket once the handshake is done, else {@code null}. */
    WebSocketConnection webSocket() {
        return webSocket;
    }

    void webSocket(WebSocketConnection webSocket) {
        this.webSocket = webSocket;
    }

    void dataReceived(int length) {
        post(HttpServerEvent.Id.ON_DATA, length, null);
    }

    void asyncFailed(Throwable t) {
        closeWanted = true;
        logFailure("async request failed", t);
    }

    void post(HttpServerEvent.Id event, int length, HttpError error) {
        server.recordState(event);
        if (server.hasEventListeners()) {
            server.postEvent(
                    switch (event) {
                        case ERROR -> new HttpServerEvent.Error(id, remote, error);
                        case ON_CONNECTED -> new HttpServerEvent.OnConnected(id, remote);
                        case ON_HEADER -> new HttpServerEvent.OnHeader(id, remote);
                        case HEADERS_SENT -> new HttpServerEvent.HeadersSent(id, remote);
                        case ON_DATA -> new HttpServerEvent.OnData(id, remote, length);
                        case SENT_DATA -> new HttpServerEvent.SentData(id, remote, length);
                        case DISCONNECTED -> new HttpServerEvent.Disconnected(id, remote);
                        case START, STOP -> throw new IllegalArgumentException(event + " is not a session event");
                    });
        }
    }

    void logFailure(String what, Throwable t) {
        if (isClientGone(t)) {
            LOG.log(Level.DEBUG, () -> this + ": " + what + ": " + t);
        } else {
            LOG.log(Level.WARNING, this + ": " + what, t);
        }
    }

    /** Hang-ups, resets and timeouts are the client's business, not server errors. */
    boolean isClientGone(Throwable t) {
        return closeWanted && t instanceof IOException || t instanceof SocketException || state.get() >= CLOSING;
    }

    // ---- close sequence (reference §6.7) ------------------------------------------------------

    private void close() {
        state.set(CLOSING);
        HttpServerConfig config = server.config();
        if (config.enableSoLinger()) {
            try {
                socket.setSoLinger(true, (int) config.lingerTimeout().toSeconds());
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> this + ": SO_LINGER not set: " + e);
            }
        }
        CloseHook hook = config.closeHook();
        if (hook != null) {
            try {
                hook.onClose(this);
            } catch (Throwable t) {
                LOG.log(Level.WARNING, this + ": close hook failed", t);
            }
        }
        // after the hook: a transport's last words (TLS close_notify) must precede the half-close
        if (lingerOnClose) {
            lingeringDrain();
        }
        closeSocketQuietly();
        post(HttpServerEvent.Id.DISCONNECTED, 0, null);
        userContext.clear(this);
        transportContext.clear(this);
        // the slot first: an acceptor waiting for it purges another victim only once this one is
        // CLOSED, which must mean its slot is free
        server.sessions().closed(this);
        state.set(CLOSED);
    }

    /**
     * After an error answer with request bytes still unread, closing at once would make the kernel
     * send RST, which can destroy the answer before the client reads it. Half-close, then discard
     * what the client still sends for a short, bounded time.
     */
    private void lingeringDrain() {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(2000);
            byte[] scratch = new byte[8192];
            long deadline = System.nanoTime() + 2_000_000_000L;
            long discarded = 0;
            while (discarded < 1024 * 1024 && System.nanoTime() < deadline) {
                int n = socketIn.read(scratch);
                if (n < 0) {
                    break;
                }
                discarded += n;
            }
        } catch (IOException e) {
            // the client went away: nothing left to protect
        }
    }

    /**
     * Ends a read blocked on the socket (it returns end of stream) without closing the socket, so
     * the session thread runs the close sequence itself: close hook while the socket is still
     * open, then close (reference §6.7).
     */
    private void stopReading() {
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            closeSocketQuietly();
        }
    }

    private void closeSocketQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> this + ": close failed: " + e);
        }
    }
}
