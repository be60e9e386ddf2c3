package dev.httpsd.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One platform daemon thread and one {@link Selector} per server, where idle keep-alive sessions
 * wait without a thread of their own ({@link IdleGate#park}). A parked session's channel is
 * registered for reading; when it turns readable — a request's first byte, the peer's end of
 * stream or reset, or an input shut down by whoever closes the session (idle timeout, trigger,
 * LRU purge, drain, stop) — the poller takes the channel back to blocking mode and resumes the
 * session on a fresh virtual thread, which reads as its blocking wait would have. Another thread
 * about to read or write a parked session's socket (queued work, a WebSocket sender, a protocol's
 * goodbye) asks the poller to take the channel back first ({@link #wake}) and waits until it
 * blocks again: the session is then held for that thread, still without a thread of its own, and
 * parks again when the thread is done ({@link IdleGate}).
 *
 * <p>Only this thread resumes or holds a session, for a key only this thread cancels: each park
 * ends in exactly one of them. A server that cannot open a selector runs without a poller: its sessions
 * wait on their own threads, as before.
 */
final class IdlePoller implements Runnable {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    /** How long a thread waiting for a woken session looks again by itself, should a wake be lost. */
    private static final long WAKE_RECHECK_NANOS = Duration.ofMillis(10).toNanos();

    private final Thread thread;
    /** Threads waiting for a parked session's channel, with its gate. */
    private final Queue<Wake> wakes = new ConcurrentLinkedQueue<>();
    /** Registrations against the stop: none after {@link #closed} is set. */
    private final ReentrantLock registering = new ReentrantLock();

    private final AtomicInteger parked = new AtomicInteger();
    private volatile Selector selector;
    private volatile boolean closed;

    private record Wake(IdleGate gate, Thread waiter) {}

    IdlePoller(int port) {
        this.thread =
                Thread.ofPlatform().name("httpd-poller-" + port).daemon(true).unstarted(this);
    }

    /** Opens the selector and starts the thread; without a selector sessions never park. */
    void start() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "no idle poller (idle sessions keep their threads): " + e);
            closed = true;
            return;
        }
        thread.start();
    }

    /**
     * Registers a non-blocking channel for reading, its gate attached; false when the poller is
     * stopped or has none (the caller waits on its own thread instead).
     */
    boolean register(SocketChannel channel, IdleGate gate) {
        registering.lock();
        try {
            if (closed) {
                return false;
            }
            channel.register(selector, SelectionKey.OP_READ, gate);
            parked.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "could not park an idle session: " + e);
            return false;
        } finally {
            registering.unlock();
        }
        // the selector takes a new registration into its wait when it wakes
        selector.wakeup();
        return true;
    }

    /**
     * Takes a parked session's channel back before the calling thread uses its socket, and waits
     * until it is blocking again (the gate no longer parked).
     */
    void wake(IdleGate gate) {
        if (!gate.parked()) {
            return;
        }
        wakes.add(new Wake(gate, Thread.currentThread()));
        Selector current = selector;
        if (current != null) {
            current.wakeup();
        }
        while (gate.parked()) {
            LockSupport.parkNanos(this, WAKE_RECHECK_NANOS);
        }
    }

    /** Sessions parked now, waiting without a thread (tests and diagnostics). */
    int parkedCount() {
        return parked.get();
    }

    /**
     * Ends the thread after it has resumed every session still parked (a stop has aborted them,
     * so they run their close sequences), and closes the selector.
     */
    void stop(Duration wait) {
        registering.lock();
        try {
            closed = true;
        } finally {
            registering.unlock();
        }
        Selector current = selector;
        if (current == null) {
            return;
        }
        current.wakeup();
        try {
            thread.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        List<IdleGate> ready = new ArrayList<>();
        List<Wake> deferred = new ArrayList<>();
        try {
            while (!closed) {
                selector.select();
                resumeReady(ready, deferred);
                wakes.addAll(deferred);
                deferred.clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(Level.WARNING, "idle poller failed: " + e);
        } finally {
            // under the lock: no session registers after the sweep, to be left parked for good
            registering.lock();
            try {
                closed = true;
            } finally {
                registering.unlock();
            }
            resumeAll(ready);
        }
    }

    /**
     * Resumes the sessions whose channels turned readable and those another thread woke, until
     * a round finds none; a wake for a session still registering waits for the next round.
     */
    private void resumeReady(List<IdleGate> ready, List<Wake> deferred) throws IOException {
        List<Thread> waiters = new ArrayList<>();
        List<IdleGate> held = new ArrayList<>();
        while (true) {
            for (SelectionKey key : selector.selectedKeys()) {
                key.cancel();
                ready.add((IdleGate) key.attachment());
            }
            selector.selectedKeys().clear();
            for (Wake wake; (wake = wakes.poll()) != null; ) {
                SelectionKey key = wake.gate().channel().keyFor(selector);
                if (key == null && wake.gate().parked()) {
                    deferred.add(wake); // its session is between parking and registering
                    continue;
                }
                if (key != null && key.isValid()) {
                    key.cancel();
                    held.add(wake.gate());
                }
                waiters.add(wake.waiter());
            }
            if (!ready.isEmpty() || !held.isEmpty()) {
                resume(ready);
                for (IdleGate gate : held) {
                    parked.decrementAndGet();
                    gate.hold();
                }
                held.clear();
            }
            // after the resumes: a waiter finds its session's channel blocking
            waiters.forEach(LockSupport::unpark);
            waiters.clear();
            if (selector.selectedKeys().isEmpty() && wakes.isEmpty()) {
                return;
            }
        }
    }

    /** Deregisters the cancelled keys, then each session continues on a fresh virtual thread. */
    private void resume(List<IdleGate> ready) throws IOException {
        // a channel goes back to blocking mode only once its key is deregistered
        selector.selectNow();
        for (IdleGate gate : ready) {
            parked.decrementAndGet();
            gate.resume();
        }
        ready.clear();
    }

    /**
     * The end: registrations are closed, so every key left is a session still parked (a stop has
     * aborted it, or the poller failed): each is resumed to run its close sequence, and every
     * waiting thread is let go.
     */
    private void resumeAll(List<IdleGate> ready) {
        try {
            ready.clear();
            for (SelectionKey key : selector.keys()) {
                key.cancel();
                ready.add((IdleGate) key.attachment());
            }
            resume(ready);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "idle poller could not resume its parked sessions: " + e);
        } finally {
            for (Wake wake; (wake = wakes.poll()) != null; ) {
                LockSupport.unpark(wake.waiter());
            }
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "closing the idle poller's selector failed: " + e);
            }
        }
    }
}
