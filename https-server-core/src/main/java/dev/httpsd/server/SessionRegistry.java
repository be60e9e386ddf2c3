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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The open sessions of one server: their slots ({@code max_open_sockets} permits, taken by the
 * acceptor before it accepts and given back when a session has closed), their ids, the LRU clock
 * and the choice of an LRU victim, and the counters behind {@link ServerStatistics}.
 */
final class SessionRegistry {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final Semaphore slots;
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong lruClock = new AtomicLong();
    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder purges = new LongAdder();

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

    /** The watchdog's round: sends without progress, guarded reads past their deadline. */
    void checkDeadlines(long sendTimeoutNanos) {
        long now = System.nanoTime();
        for (Session session : sessions.values()) {
            session.checkSendProgress(now, sendTimeoutNanos);
            session.checkReadDeadline(now);
        }
    }

    /** Waits until no session is open but the calling thread's own; false at the timeout. */
    boolean awaitEmpty(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Thread self = Thread.currentThread();
        while (true) {
            boolean others = false;
            for (Session session : sessions.values()) {
                if (session.thread() != self) {
                    others = true;
                    break;
                }
            }
            if (!others) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                LOG.log(Level.WARNING, "sessions still open after " + timeout.toMillis() + " ms: " + sessions.keySet());
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    ServerStatistics statistics(long requests) {
        return new ServerStatistics(sessions.size(), opened.sum(), closed.sum(), purges.sum(), requests);
    }
}
