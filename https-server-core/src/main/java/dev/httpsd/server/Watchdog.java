package dev.httpsd.server;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread per server that ends what has run past its time: a guarded read past its
 * deadline (waiting for a request, reading its head) and a send that made no progress within the
 * send timeout. One periodic scan replaces a timer per read, which virtual threads make costly.
 */
final class Watchdog {

    /** A scan takes microseconds; this only bounds a stop against a scan that hangs. */
    private static final long STOP_WAIT_SECONDS = 10;

    private final ScheduledExecutorService executor;

    Watchdog(int port) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "httpd-watchdog-" + port);
            t.setDaemon(true);
            return t;
        });
    }

    void start(SessionRegistry sessions, Timeouts timeouts) {
        long period = timeouts.watchdogMillis();
        long sendNanos = timeouts.sendNanos();
        executor.scheduleWithFixedDelay(() -> scan(sessions, sendNanos), period, period, TimeUnit.MILLISECONDS);
    }

    /** Ends the scans; returns once the watchdog thread has ended, so a stopped server holds none. */
    void stop() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void scan(SessionRegistry sessions, long sendNanos) {
        long now = System.nanoTime();
        for (Session session : sessions.all()) {
            Transport transport = session.transport();
            transport.checkSendProgress(now, sendNanos);
            transport.checkReadDeadline(now);
        }
    }
}
