package dev.httpsd.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A server's threads and the order they end in: the acceptor (a platform thread, not a daemon: a
 * running server keeps the JVM alive), the work queue, the watchdog, the idle poller where idle
 * sessions park; and the stop that ends them,
 * at once or after a drain. Whatever the server frees itself is its {@code whenStopped} step, run
 * once every session has closed.
 */
final class Lifecycle {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    private static final int WORK_QUEUE_CAPACITY = 65_536;
    /** How long a stop waits for the sessions it aborted to run their close sequences. */
    private static final Duration ABORT_WAIT = Duration.ofSeconds(10);

    private final ServerSocket listener;
    private final SessionRegistry sessions;
    private final Timeouts timeouts;
    private final WorkQueue workQueue;
    private final Watchdog watchdog;
    private final IdlePoller poller;
    private final Acceptor accepting;
    private final Thread acceptor;
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Released when {@link #stop} has completed, for callers that found it under way. */
    private final CountDownLatch stopDone = new CountDownLatch(1);

    private volatile boolean draining;

    Lifecycle(HttpServer server, ServerSocket listener, SessionRegistry sessions, Timeouts timeouts) {
        this.listener = listener;
        this.sessions = sessions;
        this.timeouts = timeouts;
        int port = listener.getLocalPort();
        this.workQueue = new WorkQueue("httpd-work-" + port, WORK_QUEUE_CAPACITY);
        this.watchdog = new Watchdog(port);
        this.poller = new IdlePoller(port);
        this.accepting = new Acceptor(server, listener, sessions);
        this.acceptor =
                Thread.ofPlatform().name("httpd-acceptor-" + port).daemon(false).unstarted(accepting);
    }

    /** Starts the work queue, the watchdog, the idle poller, then accepting. */
    void start() {
        workQueue.start();
        watchdog.start(sessions, timeouts);
        poller.start();
        acceptor.start();
    }

    WorkQueue workQueue() {
        return workQueue;
    }

    IdlePoller idlePoller() {
        return poller;
    }

    boolean isStopping() {
        return stopping.get();
    }

    boolean isDraining() {
        return draining;
    }

    /**
     * Stops at once: stops accepting, aborts every session and waits for their close sequences,
     * runs the queued work, waits for the watchdog, the idle poller and the acceptor to end
     * (none of a stopped server's threads is left, nor a parked session), then runs {@code
     * whenStopped}. Idempotent: a call while another thread is stopping returns once that stop has
     * completed, except from a session of this server, which that stop waits for.
     */
    void stop(Runnable whenStopped) {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        closeListener();
        for (Session session : sessions.all()) {
            session.abort();
        }
        sessions.awaitEmpty(ABORT_WAIT);
        try {
            workQueue.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.stop();
        // after the sessions: an aborted parked session was resumed when its input shut down,
        // and any still parked is resumed as the poller ends
        poller.stop(ABORT_WAIT);
        try {
            // the listener is closed, so the acceptor is on its way out: a stopped server holds
            // no thread of its own
            acceptor.join(ABORT_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            whenStopped.run();
        } finally {
            stopDone.countDown();
        }
    }

    /**
     * Stops gracefully, within {@code gracePeriod}: sessions the client has spoken on close after
     * their current request (idle ones at once); the connections the kernel has accepted, queued
     * in the backlog or not yet spoken on, are served their first request; then the listener
     * closes, so later connections are refused. Once every session has ended, or at the end of
     * the grace period, {@link #stop}.
     *
     * @return true when every session ended by itself within the grace period
     */
    boolean stop(Duration gracePeriod, Runnable whenStopped) {
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        // every protocol says goodbye (HTTP/2's GOAWAY, a WebSocket close) before the drain can
        // make its session close by itself: a session that saw draining first closed without it
        for (Session session : sessions.all()) {
            session.drain();
        }
        draining = true;
        // idle sessions close now, after the flag: one that went idle before it could see the
        // drain would otherwise wait out its idle timeout
        for (Session session : sessions.all()) {
            session.closeIfIdle();
        }
        // a client in the backlog completed its handshake with the kernel and will send its
        // request: closing the listener now would reset it
        if (!accepting.drainBacklog(deadline)) {
            closeListener();
        }
        boolean clean = sessions.awaitEmpty(deadline, gracePeriod) && !stopping.get();
        stop(whenStopped);
        return clean;
    }

    /** Waits for the stop another thread runs; a session thread must not, that stop waits for it. */
    private void awaitStopped() {
        Thread self = Thread.currentThread();
        for (Session session : sessions.all()) {
            if (session.thread() == self) {
                return;
            }
        }
        try {
            stopDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeListener() {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "closing the listener failed: " + e);
        }
        acceptor.interrupt();
    }
}
