package dev.httpsd.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
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
 * in ESP's order (reference §6.7) and gives the session slot back. The bytes go through the
 * session's {@link Transport}; the states are {@link SessionState}s.
 */
final class Session implements HttpSession, Runnable {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    /** The response buffer a request starts with; it grows for large heads and small bodies. */
    private static final int IDLE_OUTPUT = 512;

    private final HttpServer server;
    private final int id;
    private final Transport transport;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final AtomicReference<SessionState> state = new AtomicReference<>(SessionState.OPEN);
    private final ContextSlot userContext = new ContextSlot("user context");
    private final ContextSlot transportContext = new ContextSlot("transport context");

    /** Policy: the session closes once its current response is complete. */
    private volatile boolean closeRequested;

    private volatile long lruCounter;
    private volatile Thread thread;
    private volatile WebSocketConnection webSocket;
    private volatile int servedRequests;
    private ByteSink output;

    Session(HttpServer server, int id, Socket socket) throws IOException {
        this.server = server;
        this.id = id;
        this.transport = new Transport(this, socket, server.config().sendWaitTimeout());
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
        this.lruCounter = server.sessions().lruClock();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
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
            if (move(SessionState.OPEN, SessionState.BUSY)) {
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
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public Socket socket() {
        return transport.socket();
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
        transport.requireUnlocked();
        transportContext.set(context, free, this);
    }

    @Override
    public void setRecvOverride(RecvFunction recv) {
        transport.recvOverride(recv);
    }

    @Override
    public void setSendOverride(SendFunction send) {
        transport.sendOverride(send);
    }

    @Override
    public void setPendingOverride(PendingFunction pending) {
        transport.pendingOverride(pending);
    }

    @Override
    public void lockTransport(String reason) {
        transport.lock(reason);
    }

    @Override
    public int recv(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        return transport.read(buffer, offset, length, server.timeouts().recvMillis());
    }

    @Override
    public void send(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        transport.sendAll(buffer, offset, length);
    }

    @Override
    public int pending() throws IOException {
        return transport.pending();
    }

    @Override
    public void triggerClose() {
        WebSocketConnection ws = webSocket;
        if (ws != null) {
            ws.closeQuietly(WebSocketConnection.GOING_AWAY, "server closing the session");
        }
        closeRequested = true;
        if (move(SessionState.IDLE, SessionState.CLOSING)) {
            transport.stopReading();
        }
    }

    @Override
    public void updateLruCounter() {
        lruCounter = server.sessions().nextLruTick();
    }

    @Override
    public boolean isOpen() {
        return state.get().isOpen();
    }

    @Override
    public String toString() {
        return "session " + id + " (" + remote + ")";
    }

    // ---- used by the request loop, request and response -----------------------------------

    Transport transport() {
        return transport;
    }

    void sendAll(byte[] buffer, int offset, int length) throws IOException {
        transport.sendAll(buffer, offset, length);
    }

    ReentrantLock writeLock() {
        return transport.writeLock();
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

    // ---- state --------------------------------------------------------------------------------

    /**
     * Whether the session should stop serving: the peer is gone (observed), or a close was asked
     * for it (policy: trigger, stop) or for the whole server (draining).
     */
    boolean closing() {
        return closeRequested || transport.peerGone() || server.isDraining();
    }

    private boolean move(SessionState from, SessionState to) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException(from + " -> " + to + " is not a session transition");
        }
        return state.compareAndSet(from, to);
    }

    boolean toIdle() {
        return move(SessionState.BUSY, SessionState.IDLE);
    }

    boolean toBusy() {
        return move(SessionState.IDLE, SessionState.BUSY);
    }

    void toAsync() {
        move(SessionState.BUSY, SessionState.ASYNC);
    }

    void fromAsync() {
        move(SessionState.ASYNC, SessionState.BUSY);
    }

    /** Waiting for input, for {@code complete()} or a handler's result is what "idle" excludes. */
    boolean isIdle() {
        return state.get() == SessionState.IDLE;
    }

    boolean isClosed() {
        return state.get() == SessionState.CLOSED;
    }

    long lruCounter() {
        return lruCounter;
    }

    /** Eligible for LRU purge: idle, has served a request, not owned by an async handler. */
    boolean purgeable() {
        return state.get() == SessionState.IDLE && servedRequests > 0;
    }

    /** Closes an idle session chosen by LRU purge; false if it stopped being idle meanwhile. */
    boolean purge() {
        if (move(SessionState.IDLE, SessionState.CLOSING)) {
            transport.stopReading();
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
        closeRequested = true;
        SessionState before = state.getAndUpdate(s -> s.isOpen() ? SessionState.CLOSING : s);
        transport.stopReading();
        Thread owner = thread;
        if ((before == SessionState.BUSY || before == SessionState.ASYNC)
                && owner != null
                && owner != Thread.currentThread()) {
            owner.interrupt();
        }
    }

    void requestServed() {
        servedRequests++;
        lruCounter = server.sessions().nextLruTick();
    }

    /** The connection closes with input possibly unread: linger so the client reads our answer. */
    void lingerOnClose() {
        transport.lingerOnClose();
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
        closeRequested = true;
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

    /**
     * Hang-ups, resets and timeouts are the client's business, not server errors: an I/O failure
     * after the peer was seen to go, a socket failure, or anything once the session is closing.
     */
    boolean isClientGone(Throwable t) {
        return (transport.peerGone() && t instanceof IOException)
                || t instanceof SocketException
                || !state.get().isOpen();
    }

    // ---- close sequence (reference §6.7) ------------------------------------------------------

    private void close() {
        state.set(SessionState.CLOSING);
        HttpServerConfig config = server.config();
        if (config.enableSoLinger()) {
            transport.lingerSeconds((int) config.lingerTimeout().toSeconds());
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
        transport.close();
        post(HttpServerEvent.Id.DISCONNECTED, 0, null);
        userContext.clear(this);
        transportContext.clear(this);
        // the slot first: an acceptor waiting for it purges another victim only once this one is
        // CLOSED, which must mean its slot is free
        server.sessions().closed(this);
        state.set(SessionState.CLOSED);
    }
}
