package dev.httpsd.server;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connection, owned by one virtual thread at a time from accept to close (none while parked).
 *
 * <pre>
 *   OPEN ──open hook (TLS handshake)──▶ IDLE ◀─────────────────────────┐
 *                     (parked: no thread)│ first byte                    │ protocol keeps the
 *                                        ▼                               │ connection
 *                                      BUSY: protocol serves (HTTP/1.1: head, handler, response;
 *                                        │   ASYNC while a detached request is completed)
 *                                        │ protocol closes, peer gone, idle timeout, close asked,
 *                                        ▼ LRU purge (IDLE only), server stop
 *                                     CLOSING: close hook ─▶ socket closed ─▶ DISCONNECTED
 *                                        ─▶ free user ctx ─▶ free transport ctx ─▶ CLOSED
 * </pre>
 *
 * {@link #run()} is the single owner: it opens the session ({@link SessionHooks}: PROXY header,
 * open hook), then runs {@link Protocol} after protocol (HTTP/1.1, then what an upgrade switches
 * to) over the session's {@link Transport}, waiting for input between their turns; whatever
 * happens, its finally block runs the close sequence in ESP's order and gives the slot back. An
 * IDLE session waiting lean parks instead ({@link IdlePoller}): its thread returns without
 * closing anything, and the poller resumes it on a fresh virtual thread ({@link #resume}), which
 * then owns it the same way; the close sequence runs once, on whichever thread ends the session.
 * Protocols see the session through its {@link Connection}, never through this class; what
 * handlers see of it is {@link SessionApi}.
 */
final class Session extends SessionApi implements Runnable {

    /** What the wait for input ended with. */
    private enum Input {
        DATA,
        TIMEOUT,
        /** The wait ended with no input while the protocol had work in flight: wait again. */
        QUIET,
        CLOSED,
        /** The session parked on the server's poller; its thread returns. */
        PARKED
    }

    private final Connection connection;
    private final AtomicReference<SessionState> state = new AtomicReference<>(SessionState.OPEN);

    /** Policy: the session closes once its current work is done (trigger, stop, failure). */
    private volatile boolean closeRequested;
    /** The client has sent input to a protocol: from now on a drain closes the session. */
    private volatile boolean heard;

    private volatile Thread thread;
    private volatile Protocol protocol;
    /** The deadline of the wait the session parked in, for the thread that resumes it. */
    private long parkedDeadline;
    /** What the poller runs to resume the session once parked. */
    private final Runnable resume = this::resumeOnNewThread;

    Session(HttpServer server, int id, Socket socket) throws IOException {
        super(server, id, socket);
        this.connection = new Connection(this, transport, server);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        boolean parked = false;
        try {
            if (SessionHooks.open(this) && move(SessionState.OPEN, SessionState.BUSY)) {
                protocol = server.firstProtocol(connection, transport.applicationProtocol());
                parked = serve(false);
            }
        } catch (Throwable t) {
            connection.logFailure("session ended", t);
        } finally {
            if (!parked) {
                end();
            }
        }
    }

    /**
     * Continues a parked session ({@link #awaitInput}) on the fresh thread the poller started: it
     * reads what woke it, as the wait it replaced would have.
     */
    private void resume() {
        boolean parked = false;
        try {
            parked = serve(true);
        } catch (Throwable t) {
            connection.logFailure("session ended", t);
        } finally {
            if (!parked) {
                end();
            }
        }
    }

    /** Called by the poller: the session continues on a fresh virtual thread. */
    private void resumeOnNewThread() {
        Thread next = Thread.ofVirtual().name("httpd-session-" + id).unstarted(this::resume);
        thread = next;
        next.start();
    }

    /** The close sequence, once, on whichever thread ends the session. */
    private void end() {
        // an interrupt from abort() has done its job; the close sequence must run in full
        Thread.interrupted();
        state.set(SessionState.CLOSING);
        SessionHooks.close(this);
        state.set(SessionState.CLOSED);
    }

    /**
     * Runs protocol after protocol, waiting for input between their turns, until one closes (the
     * protocol has ended) or the session parks (true: it is to be resumed, nothing more may touch
     * it on this thread). Resumed, it starts where the parked wait would have ended.
     */
    private boolean serve(boolean resumed) throws IOException {
        Protocol current = protocol;
        boolean parked = false;
        try {
            Protocol.Next next = resumed ? Protocol.Next.KEEP : current.start(connection);
            Input input = resumed ? receive(true, false, parkedDeadline) : null;
            while (true) {
                if (input == null) {
                    if (next == Protocol.Next.CLOSE || stopServing(current)) {
                        return false;
                    }
                    if (next instanceof Protocol.Next.Upgrade upgrade) {
                        current = upgrade.next();
                        protocol = current;
                        next = current.start(connection);
                        continue;
                    }
                    input = awaitInput(current);
                }
                switch (input) {
                    case PARKED -> {
                        parked = true;
                        return true;
                    }
                    case DATA -> {
                        heard = true;
                        next = current.serve(connection);
                    }
                    case TIMEOUT -> {
                        current.idleTimedOut(connection);
                        return false;
                    }
                    case QUIET -> next = Protocol.Next.KEEP;
                    case CLOSED -> {
                        return false;
                    }
                }
                input = null;
            }
        } finally {
            if (!parked) {
                current.ended();
            }
        }
    }

    /**
     * Waits, IDLE, for the next input of the protocol: at once when bytes are buffered (pipelined),
     * else up to the protocol's {@code idleMillis} under the watchdog's deadline (no timer per
     * wait). With work in flight (HTTP/2 streams) the wait is under a socket timeout instead, which
     * leaves the connection readable when it ends: the session waits again, the protocol's idle
     * time counting anew, until its work is done. The one place a session waits between requests
     * or frames.
     *
     * <p>Where it can, the wait is lean ({@link Transport#leanIdle}): the session holds no read
     * buffer, the TLS layer none either, and it waits on the socket for one byte, which the fill
     * that follows reads first. A lean wait parks ({@link Transport#park}) when it can: the thread
     * returns, and the server's poller resumes the session on a fresh one once the socket is
     * readable; an idle connection then holds no thread at all. Otherwise it waits right here;
     * then it costs its parked thread's short stack.
     */
    private Input awaitInput(Protocol current) throws IOException {
        int idleMillis = current.idleMillis(connection);
        InputBuffer in = transport.input();
        if (in.buffered() > 0) {
            return Input.DATA;
        }
        boolean inFlight = current.inFlight();
        boolean lean = !inFlight && transport.leanIdle();
        if (lean) {
            in.release();
        } else {
            in.shrink(Transport.IDLE_INPUT);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(idleMillis);
        in.guard(deadline, idleMillis, inFlight);
        // a triggerClose() that came while the session was still BUSY could not close it: check
        // again now that it is IDLE, or it waits out the idle timeout
        if (!move(SessionState.BUSY, SessionState.IDLE) || stopServing(current)) {
            return Input.CLOSED;
        }
        if (lean && server.sessions().crowded() && !nextInputHere()) {
            parkedDeadline = deadline;
            // a parked session holds no thread, not even the one that ends now
            thread = null;
            if (transport.park(deadline, resume)) {
                return Input.PARKED;
            }
            thread = Thread.currentThread();
        }
        return receive(lean, inFlight, deadline);
    }

    /**
     * Whether the next input is already here after the other sessions have had a turn: a busy
     * keep-alive client often sends its next request that soon, and reading it at once spares
     * the selector round a park costs (register, wake the poller, deregister, a fresh thread).
     */
    private boolean nextInputHere() {
        Thread.yield();
        return transport.inputWaiting();
    }

    /** The wait itself, IDLE: on the socket for one byte when lean, else through the receive function. */
    private Input receive(boolean lean, boolean inFlight, long deadline) throws IOException {
        InputBuffer in = transport.input();
        int n;
        try {
            n = lean && !transport.awaitByte(deadline) ? -1 : in.fill(Transport.IDLE_INPUT);
        } catch (SocketTimeoutException e) {
            if (inFlight) {
                return move(SessionState.IDLE, SessionState.BUSY) ? Input.QUIET : Input.CLOSED;
            }
            return Input.TIMEOUT;
        } catch (IOException e) {
            if (!isOpen()) {
                return Input.CLOSED; // purged, triggered or server stopping: the socket was closed under us
            }
            throw e;
        }
        return move(SessionState.IDLE, SessionState.BUSY) && n > 0 ? Input.DATA : Input.CLOSED;
    }

    // ---- HttpSession -------------------------------------------------------------------------

    @Override
    public void triggerClose() {
        Protocol current = protocol;
        if (current != null) {
            current.closeRequested();
        }
        closeRequested = true;
        // work in flight (HTTP/2 streams) finishes first; its protocol triggers again when done
        if (!inFlight() && move(SessionState.IDLE, SessionState.CLOSING)) {
            transport.stopReading();
        }
    }

    @Override
    public boolean isOpen() {
        return state.get().isOpen();
    }

    // ---- for the server, the watchdog and the session's connection ------------------------

    /** The protocol the connection speaks now, {@code null} before the first. */
    Protocol protocol() {
        return protocol;
    }

    /**
     * Whether the session should stop serving: the peer is gone (observed), or a close was asked
     * for it (policy: trigger, stop, failure) or for the whole server (draining).
     */
    boolean closing() {
        return closeRequested || transport.peerGone() || server.isDraining();
    }

    /**
     * Whether to stop serving now. The peer gone stops it at once; a close asked for the session
     * (trigger, stop, failure) or the server's drain stops it once the protocol has no work in
     * flight (a graceful close waits for HTTP/2's open streams). A drain spares a session the
     * client has not spoken on yet: the kernel accepted it before the drain began and its client
     * sends a request in good faith, so that one is read and answered (with {@code Connection:
     * close}, as {@link #closing()} says).
     */
    private boolean stopServing(Protocol current) {
        if (transport.peerGone()) {
            return true;
        }
        boolean asked = closeRequested || (heard && server.isDraining());
        return asked && !current.inFlight();
    }

    private boolean inFlight() {
        Protocol current = protocol;
        return current != null && current.inFlight();
    }

    /**
     * A graceful stop's first word, before the server is marked draining: the protocol says
     * goodbye (HTTP/2's GOAWAY, a WebSocket close).
     */
    void drain() {
        Protocol current = protocol;
        if (current != null) {
            current.closeRequested();
        }
    }

    /**
     * Once the server is marked draining: closes the session if the client has spoken on it and
     * it waits idle with no work in flight. One not spoken on yet is left to read its first
     * request; a busy one closes when its current work is done, an HTTP/2 connection when its
     * open streams are (its protocol triggers the close).
     */
    void closeIfIdle() {
        if (heard && !inFlight() && move(SessionState.IDLE, SessionState.CLOSING)) {
            closeRequested = true;
            transport.stopReading();
        }
    }

    private boolean move(SessionState from, SessionState to) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException(from + " -> " + to + " is not a session transition");
        }
        return state.compareAndSet(from, to);
    }

    void toAsync() {
        move(SessionState.BUSY, SessionState.ASYNC);
    }

    void fromAsync() {
        move(SessionState.ASYNC, SessionState.BUSY);
    }

    /** Waiting for the next request or frame (and so purgeable once it served one). */
    boolean isIdle() {
        return state.get() == SessionState.IDLE;
    }

    boolean isClosed() {
        return state.get() == SessionState.CLOSED;
    }

    /**
     * Eligible for LRU purge: idle, has served a request, not owned by an async handler, no work
     * in flight (an HTTP/2 connection with open streams).
     */
    boolean purgeable() {
        return state.get() == SessionState.IDLE && hasServed() && !inFlight();
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

    Thread thread() {
        return thread;
    }

    /** Policy: close once the current work is done (a failure the session cannot recover from). */
    void requestClose() {
        closeRequested = true;
    }
}
