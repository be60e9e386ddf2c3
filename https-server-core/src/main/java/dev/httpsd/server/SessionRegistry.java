package dev.httpsd.server;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open sessions of one server: their slots ({@code max_open_sockets} permits, taken by the
 * acceptor before it accepts and given back when a session has closed), their ids, the LRU clock
 * and the choice of an LRU victim, and the counters behind {@link ServerStatistics}.
 */
final class SessionRegistry {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    /** Open sessions above which idle ones park, by default: a few threads' stacks cost little. */
    static final int PARK_ABOVE = 128;

    private final Semaphore slots;
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong lruClock = new AtomicLong();
    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder purges = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition emptied = lock.newCondition();
    /** Open sessions above which an idle one parks (see {@link #crowded}); tests lower it. */
    private volatile int parkAbove = PARK_ABOVE;
    /** Threads in {@link #awaitEmpty}; written under the lock. */
    private volatile int waiters;

    SessionRegistry(int maxOpenSockets) {
        this.slots = new Semaphore(maxOpenSockets);
    }

    /** The permits the acceptor takes, one per open session. */
    Semaphore slots() {
        return slots;
    }

    /** A fresh id, unused by any open session (ids wrap around after {@code Integer.MAX_VALUE}). */
    int nextId() {
        while (true) {
            int id = ids.incrementAndGet();
            if (id <= 0) {
                ids.compareAndSet(id, 0);
                continue;
            }
            if (!sessions.containsKey(id)) {
                return id;
            }
        }
    }

    void add(Session session) {
        sessions.put(session.id(), session);
        opened.increment();
    }

    /** A session that could not be started: forgotten, its slot given back. */
    void abandon(Session session) {
        if (session != null) {
            sessions.remove(session.id());
        }
        slots.release();
        signalClosed();
    }

    /** The end of a session's close sequence: forgotten, its slot given back. */
    void closed(Session session) {
        if (sessions.remove(session.id(), session)) {
            closed.increment();
            slots.release();
        }
        if (sessions.isEmpty()) {
            lruClock.set(0); // ESP resets its LRU counter when no session is left
        }
        signalClosed();
    }

    /** Wakes a stop waiting for the sessions to end; costs nothing when no stop waits. */
    private void signalClosed() {
        if (waiters > 0) {
            lock.lock();
            try {
                emptied.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    Session get(int id) {
        return sessions.get(id);
    }

    Collection<Session> all() {
        return sessions.values();
    }

    int size() {
        return sessions.size();
    }

    /**
     * Whether so many sessions are open that an idle one parks on the poller ({@link IdlePoller})
     * rather than keep its thread. Each park and resume costs a selector round per request, which
     * took a quarter of a busy keep-alive client's throughput here (50 connections on 2 cores);
     * a parked thread's stack costs ~4 KiB of heap, which matters by the thousand, not by the ten.
     */
    boolean crowded() {
        return sessions.size() > parkAbove;
    }

    /** Parks idle sessions once more than {@code sessions} are open (tests: 0, always). */
    void parkAbove(int sessions) {
        this.parkAbove = sessions;
    }

    /** The ids of the open sessions in ascending order. */
    List<Integer> ids() {
        List<Integer> list = new ArrayList<>(sessions.keySet());
        list.sort(Comparator.naturalOrder());
        return list;
    }

    long lruClock() {
        return lruClock.get();
    }

    long nextLruTick() {
        return lruClock.incrementAndGet();
    }

    /** LRU purge: closes the idle session used longest ago, or returns null if none qualifies. */
    Session purgeLeastRecentlyUsed() {
        Session victim = null;
        for (Session candidate : sessions.values()) {
            if (candidate.purgeable() && (victim == null || candidate.lruCounter() < victim.lruCounter())) {
                victim = candidate;
            }
        }
        if (victim != null && victim.purge()) {
            purges.increment();
            Session purged = victim;
            LOG.log(Level.DEBUG, () -> "LRU purge closed " + purged);
            return victim;
        }
        return null;
    }

    /** Waits until no session is open but the calling thread's own; false at the timeout. */
    boolean awaitEmpty(Duration timeout) {
        return awaitEmpty(System.nanoTime() + timeout.toNanos(), timeout);
    }

    /**
     * Waits until no session is open but the calling thread's own; false at {@code deadline}
     * ({@link System#nanoTime()}), the end of a wait of {@code timeout} begun earlier.
     */
    boolean awaitEmpty(long deadline, Duration timeout) {
        Thread self = Thread.currentThread();
        boolean interrupted = false;
        lock.lock();
        waiters++;
        try {
            while (othersOpen(self)) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    LOG.log(
                            Level.WARNING,
                            "sessions still open after " + timeout.toMillis() + " ms: " + sessions.keySet());
                    return false;
                }
                try {
                    emptied.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    interrupted = true; // a stop finishes its wait; the caller learns of it after
                }
            }
            return true;
        } finally {
            waiters--;
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean othersOpen(Thread self) {
        for (Session session : sessions.values()) {
            if (session.thread() != self) {
                return true;
            }
        }
        return false;
    }

    /** A request or stream was answered to its end: counted in {@link #statistics()}. */
    void requestCompleted() {
        requests.increment();
    }

    ServerStatistics statistics() {
        return new ServerStatistics(sessions.size(), opened.sum(), closed.sum(), purges.sum(), requests.sum());
    }
}
