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

    void stop() {
        executor.shutdownNow();
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
