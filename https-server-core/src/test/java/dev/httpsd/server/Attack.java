package dev.httpsd.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hostile clients on virtual threads. Each attacker repeats its round until the attack is
 * stopped, at most {@code maxRounds} times and never past {@code maxTime}, so an attack always
 * ends by itself. A round asserts what the server did to it; a failed round is recorded, and the
 * attacker goes on.
 */
public final class Attack implements AutoCloseable {

    /** One hostile connection, from connect to the end the server gave it. */
    @FunctionalInterface
    public interface Round {
        void run(int attacker, int round) throws Exception;
    }

    private final String name;
    private final List<Thread> attackers = new ArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger rounds = new AtomicInteger();
    private final AtomicInteger probes = new AtomicInteger();

    private Attack(String name) {
        this.name = name;
    }

    /** Starts {@code count} attackers, each running {@code round} again and again. */
    public static Attack start(String name, int count, int maxRounds, Duration maxTime, Round round) {
        Attack attack = new Attack(name);
        long deadline = System.nanoTime() + maxTime.toNanos();
        for (int i = 0; i < count; i++) {
            int attacker = i;
            attack.attackers.add(Thread.ofVirtual().name(name + "-" + i).start(() -> {
                for (int r = 0; r < maxRounds && !attack.stopped.get() && System.nanoTime() < deadline; r++) {
                    try {
                        round.run(attacker, r);
                        attack.rounds.incrementAndGet();
                    } catch (Throwable t) {
                        attack.failures.add(name + " attacker " + attacker + " round " + r + ": " + t);
                    }
                }
            }));
        }
        return attack;
    }

    /** Whether some attacker is still at work. */
    public boolean running() {
        return attackers.stream().anyMatch(Thread::isAlive);
    }

    /**
     * Sends {@code count} probes one after another while the attack goes on: each must be answered
     * 200, and the attack must still be running when it is.
     */
    public void probe(int count, Callable<Integer> probe) throws Exception {
        for (int i = 0; i < count; i++) {
            int status = probe.call();
            if (status != 200) {
                throw new AssertionError("probe " + i + " during " + name + " got " + status);
            }
            if (!running()) {
                throw new AssertionError("probe " + i + " came after " + name + " ended: the attack was too short");
            }
            probes.incrementAndGet();
        }
    }

    /** Probes until the attack ends by itself, at most {@code maxCount}; returns how many ran. */
    public int probeUntilEnd(int maxCount, Callable<Integer> probe) throws Exception {
        int sent = 0;
        while (running() && sent < maxCount) {
            int status = probe.call();
            if (status != 200) {
                throw new AssertionError("probe " + sent + " during " + name + " got " + status);
            }
            sent++;
            probes.incrementAndGet();
        }
        return sent;
    }

    /** Asks every attacker to stop after its current round and waits until all have. */
    public void stopAndJoin() throws InterruptedException {
        stopped.set(true);
        join();
    }

    /** Waits for the attackers to end by themselves (bounded by their own deadline). */
    public void join() throws InterruptedException {
        for (Thread attacker : attackers) {
            if (!attacker.join(Duration.ofSeconds(120))) {
                throw new AssertionError(attacker.getName() + " did not end");
            }
        }
    }

    /** Rounds that ended as the attackers expected. */
    public int rounds() {
        return rounds.get();
    }

    public int probes() {
        return probes.get();
    }

    /** What went otherwise than the attackers expected. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Time since {@code startNanos}. */
    public static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The rhythm of a slow client; never used to wait for something to happen. */
    public static void pace(Duration interval) {
        java.util.concurrent.locks.LockSupport.parkNanos(interval.toNanos());
    }

    @Override
    public void close() throws InterruptedException {
        stopAndJoin();
    }
}
