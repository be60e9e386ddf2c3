package dev.httpsd.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether a session's socket is parked on the server's {@link IdlePoller}: its channel then is
 * non-blocking and registered, and no thread of the session exists. While it is, the socket's
 * streams refuse reads and writes (a non-blocking channel's streams throw), so every thread other
 * than the session's own passes this gate before it uses them: a write under the session's write
 * lock ({@link Sender}), a read from queued work ({@link SessionApi#recv}). Parking takes that
 * write lock and counts those reads, so it never starts while one is under way. One that comes
 * while the session is parked has the poller take the channel back and hold the session, still
 * without a thread: the read or write then owns the socket alone (as queued work did on ESP's
 * single server task), and when the last of them is done the session parks again, or, if it
 * cannot, resumes on a fresh thread.
 */
final class IdleGate {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    private static final AtomicIntegerFieldUpdater<IdleGate> READERS =
            AtomicIntegerFieldUpdater.newUpdater(IdleGate.class, "readers");
    private static final AtomicIntegerFieldUpdater<IdleGate> HELD =
            AtomicIntegerFieldUpdater.newUpdater(IdleGate.class, "held");

    /** The socket's channel; {@code null} (a socket without one) never parks. */
    private final SocketChannel channel;

    private final ReentrantLock writeLock;
    private final IdlePoller poller;

    private volatile boolean parked;
    /** Taken back from the poller for another thread's read or write; no thread of its own. */
    private volatile int held;
    /** Threads other than the session's own reading the socket now (queued work's recv). */
    private volatile int readers;
    /** What continues the session once the poller has unparked it. */
    private volatile Runnable resume;

    IdleGate(SocketChannel channel, ReentrantLock writeLock, IdlePoller poller) {
        this.channel = channel;
        this.writeLock = writeLock;
        this.poller = poller;
    }

    /**
     * Parks the session: from the session's own thread, which then must return without touching
     * the session again, since {@code resume} may already run on another. False when it cannot
     * park now (no poller, a write or read under way, the poller stopped): the caller waits on its
     * own thread.
     */
    boolean park(Runnable resume) {
        if (channel == null || poller == null || !writeLock.tryLock()) {
            return false;
        }
        try {
            parked = true;
            // after the flag: a reader that came earlier is seen here, a later one sees the flag
            if (readers > 0) {
                parked = false;
                return false;
            }
            this.resume = resume;
            channel.configureBlocking(false);
            if (poller.register(channel, this)) {
                return true;
            }
            channel.configureBlocking(true);
            parked = false;
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "could not park an idle session: " + e);
            unblock();
            parked = false;
            return false;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Called by the poller once the channel's key is deregistered: the channel blocks again, and
     * the session continues on a fresh thread.
     */
    void resume() {
        unblock();
        parked = false;
        start(resume);
    }

    /**
     * Called by the poller once the channel's key is deregistered for another thread's read or
     * write: the channel blocks again, the session waits for that thread ({@link #release}).
     */
    void hold() {
        unblock();
        held = 1;
        parked = false;
    }

    /**
     * After another thread's read or write: the last of them parks a held session again, or
     * resumes it on a fresh thread when it cannot park.
     */
    private void release() {
        if (readers == 0 && held == 1 && HELD.compareAndSet(this, 1, 0)) {
            Runnable next = resume;
            if (!park(next)) {
                start(next);
            }
        }
    }

    private static void start(Runnable resume) {
        try {
            resume.run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "could not resume an idle session: " + e);
        }
    }

    private void unblock() {
        try {
            channel.configureBlocking(true);
        } catch (IOException | RuntimeException e) {
            // closed under us: the resumed session's read fails and it closes
            LOG.log(Level.DEBUG, () -> "idle session's channel not blocking again: " + e);
        }
    }

    boolean parked() {
        return parked;
    }

    SocketChannel channel() {
        return channel;
    }

    /** A writer holding the write lock: takes the channel back first if the session is parked. */
    void beforeWrite() {
        if (parked) {
            poller.wake(this);
        }
    }

    /** A writer is letting go of the write lock (its outermost hold). */
    void afterWrite() {
        if (held == 1) {
            release();
        }
    }

    /** A read from a thread other than the session's own begins: takes the channel back if parked. */
    void beginRead() {
        READERS.incrementAndGet(this);
        if (parked) {
            poller.wake(this);
        }
    }

    void endRead() {
        READERS.decrementAndGet(this);
        if (held == 1) {
            release();
        }
    }
}
