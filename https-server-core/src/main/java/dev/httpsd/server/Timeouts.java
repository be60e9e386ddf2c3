package dev.httpsd.server;

import java.time.Duration;

/**
 * The configuration's timeouts in the units the I/O code uses, computed once per server: socket
 * timeouts in whole milliseconds (clamped to what a socket accepts), deadlines in nanoseconds.
 *
 * @param idleMillis how long a kept-alive connection waits for its next request or frame
 * @param recvMillis how long one read of a request head or body may wait
 * @param headerNanos how long a whole request head may take once its first byte arrived
 * @param sendNanos how long a send may make no progress
 * @param watchdogMillis how often the watchdog checks deadlines and sends: a quarter of the
 *     shortest timeout it enforces, within 10 to 250 ms
 */
public record Timeouts(int idleMillis, int recvMillis, long headerNanos, long sendNanos, long watchdogMillis) {

    static Timeouts of(HttpServerConfig config) {
        long shortest = Math.min(
                Math.min(
                        config.sendWaitTimeout().toMillis(),
                        config.recvWaitTimeout().toMillis()),
                Math.min(
                        config.idleTimeout().toMillis(),
                        config.headerReadTimeout().toMillis()));
        return new Timeouts(
                millis(config.idleTimeout()),
                millis(config.recvWaitTimeout()),
                config.headerReadTimeout().toNanos(),
                config.sendWaitTimeout().toNanos(),
                Math.max(10, Math.min(250, shortest / 4)));
    }

    /** A socket timeout: whole milliseconds, at most {@code Integer.MAX_VALUE}, never 0 (forever). */
    static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }
}
