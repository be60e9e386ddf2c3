package dev.httpsd.server.http2;

import java.util.function.LongSupplier;

/**
 * A budget of events per time window, as a token bucket: up to {@code budget} events at once,
 * refilled evenly over the window, so a steady rate of {@code budget} per window is allowed
 * forever and a burst of {@code budget} once. The clock is a parameter (nanoseconds, {@link
 * System#nanoTime} in the server) so tests can move time by hand. Not thread-safe: the
 * connection's reader counts its frames.
 */
final class RateBudget {

    private final int budget;
    private final long windowNanos;
    private final LongSupplier clock;
    private double tokens;
    private long refilledAt;

    RateBudget(int budget, long windowNanos, LongSupplier clock) {
        if (budget < 1 || windowNanos < 1) {
            throw new IllegalArgumentException("budget " + budget + " per " + windowNanos + " ns");
        }
        this.budget = budget;
        this.windowNanos = windowNanos;
        this.clock = clock;
        this.tokens = budget;
        this.refilledAt = clock.getAsLong();
    }

    int budget() {
        return budget;
    }

    /** Counts one event; false when the budget is spent. */
    boolean tryAcquire() {
        long now = clock.getAsLong();
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(budget, tokens + (double) elapsed * budget / windowNanos);
            refilledAt = now;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
