package dev.httpsd.server.http2;

import dev.httpsd.server.Http2Config;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Counts the frames that cost a server work while giving it nothing to serve, and ends the
 * connection with ENHANCE_YOUR_CALM (RFC 9113 §10.5) once a client spends a budget faster than
 * a legitimate one would:
 *
 * <ul>
 *   <li><b>stream resets</b>: RST_STREAM from the client on a stream we were serving, and every
 *       RST_STREAM a stream error makes us send (malformed requests, streams over the concurrency
 *       limit, frames on closed streams) — the rapid-reset attack (CVE-2023-44487) and the reset flood (CVE-2019-9514), which
 *       SETTINGS_MAX_CONCURRENT_STREAMS cannot stop because every stream closes at once;
 *   <li><b>SETTINGS</b> (CVE-2019-9515) and <b>PING</b> (CVE-2019-9512) frames, each of which
 *       makes us write an acknowledgement;
 *   <li><b>empty frames</b>: PRIORITY frames (CVE-2019-9513), DATA frames without data nor
 *       END_STREAM (CVE-2019-9518), frames of unknown types.
 * </ul>
 *
 * <p>Each is a {@link RateBudget} per connection. CONTINUATION floods are {@link
 * HeaderBlockAssembler}'s to stop; HPACK bombs {@link HpackDecoder}'s. Not thread-safe: the
 * connection's reader counts.
 */
final class FloodGuard {

    /**
     * The budgets, each so many events per {@code window}.
     *
     * @param resets stream resets by or because of the client
     * @param settings SETTINGS frames
     * @param pings PING frames (not acknowledgements)
     * @param emptyFrames PRIORITY frames, empty DATA frames without END_STREAM, unknown frames
     */
    record Limits(int resets, int settings, int pings, int emptyFrames, Duration window) {

        /** The configuration's defaults ({@link Http2Config#DEFAULTS} says why these). */
        static final Limits DEFAULTS = of(Http2Config.DEFAULTS);

        /** The budgets a server's configuration sets. */
        static Limits of(Http2Config config) {
            return new Limits(
                    config.resetBudget(),
                    config.settingsBudget(),
                    config.pingBudget(),
                    config.emptyFrameBudget(),
                    config.floodWindow());
        }

        Limits {
            if (resets < 1 || settings < 1 || pings < 1 || emptyFrames < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("flood limits must be positive: " + resets + ", " + settings + ", "
                        + pings + ", " + emptyFrames + " per " + window);
            }
        }
    }

    private final Limits limits;
    private final RateBudget resets;
    private final RateBudget settings;
    private final RateBudget pings;
    private final RateBudget emptyFrames;

    FloodGuard(Limits limits, LongSupplier nanoClock) {
        this.limits = limits;
        long window = limits.window().toNanos();
        this.resets = new RateBudget(limits.resets(), window, nanoClock);
        this.settings = new RateBudget(limits.settings(), window, nanoClock);
        this.pings = new RateBudget(limits.pings(), window, nanoClock);
        this.emptyFrames = new RateBudget(limits.emptyFrames(), window, nanoClock);
    }

    /** A stream reset by the client before we finished it, or a stream error we answer with RST_STREAM. */
    void streamReset() throws Http2ConnectionException {
        spend(resets, "stream resets");
    }

    void settingsFrame() throws Http2ConnectionException {
        spend(settings, "SETTINGS frames");
    }

    void pingFrame() throws Http2ConnectionException {
        spend(pings, "PING frames");
    }

    /** A PRIORITY frame, an empty DATA frame without END_STREAM, or a frame of an unknown type. */
    void emptyFrame() throws Http2ConnectionException {
        spend(emptyFrames, "empty frames (PRIORITY, empty DATA, unknown types)");
    }

    private void spend(RateBudget budget, String what) throws Http2ConnectionException {
        if (!budget.tryAcquire()) {
            throw new Http2ConnectionException(
                    ErrorCode.ENHANCE_YOUR_CALM, "more than " + budget.budget() + " " + what + " in " + window());
        }
    }

    private String window() {
        long millis = limits.window().toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
