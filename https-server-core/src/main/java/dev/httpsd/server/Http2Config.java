package dev.httpsd.server;

import java.time.Duration;

/**
 * HTTP/2 (RFC 9113) on a server's TLS connections: whether ALPN offers {@code h2}, the limits the
 * server announces in its SETTINGS and enforces, and the flood budgets (RFC 9113 §10.5) past which
 * a connection ends with GOAWAY ENHANCE_YOUR_CALM. Each budget counts per connection and per
 * {@code floodWindow}. Not in ESP-IDF, which speaks HTTP/1.1 only.
 *
 * @param enabled offer {@code h2} first in TLS ALPN; a client that does not ask for it speaks
 *     HTTP/1.1 as before. Ours: false.
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS: streams one connection may have open
 *     at once; more are refused with REFUSED_STREAM. Ours: 100.
 * @param initialWindowSize SETTINGS_INITIAL_WINDOW_SIZE: request body octets a client may send on a
 *     stream before the handler reads them. Ours: 65,535.
 * @param maxFrameSize SETTINGS_MAX_FRAME_SIZE: the largest frame payload accepted, 16,384 to
 *     16,777,215. Ours: 16,384.
 * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE: the largest decoded request header list
 *     (RFC 9113 §6.5.2 sizes); a larger one is answered 431. Ours: 16,384.
 * @param resetBudget stream resets by or because of the client (RST_STREAM received on a stream
 *     being served, RST_STREAM sent for a stream error): the rapid-reset attack, CVE-2023-44487.
 *     Ours: 200.
 * @param settingsBudget SETTINGS frames, each acknowledged (CVE-2019-9515). Ours: 50.
 * @param pingBudget PING frames, each answered (CVE-2019-9512). Ours: 100.
 * @param emptyFrameBudget PRIORITY frames, empty DATA frames without END_STREAM and frames of
 *     unknown types (CVE-2019-9513, CVE-2019-9518). Ours: 1,000.
 * @param floodWindow the period each budget is counted over. Ours: 10 s.
 */
public record Http2Config(
        boolean enabled,
        int maxConcurrentStreams,
        int initialWindowSize,
        int maxFrameSize,
        int maxHeaderListSize,
        int resetBudget,
        int settingsBudget,
        int pingBudget,
        int emptyFrameBudget,
        Duration floodWindow) {

    /** The default flood budgets' period. */
    private static final Duration FLOOD_WINDOW = Duration.ofSeconds(10);

    /**
     * HTTP/2 off, with the limits it has when turned on. A browser cancels a few dozen streams when
     * it leaves a page, sends one or two SETTINGS and a PING now and then, and a handful of PRIORITY
     * frames: the budgets leave it ten times that.
     */
    public static final Http2Config DEFAULTS = new Http2Config(false, 100, 65_535, 16_384, 16_384);

    public Http2Config {
        require("maxConcurrentStreams", maxConcurrentStreams, 1, Integer.MAX_VALUE);
        require("initialWindowSize", initialWindowSize, 1, Integer.MAX_VALUE);
        require("maxFrameSize", maxFrameSize, 16_384, 16_777_215);
        require("maxHeaderListSize", maxHeaderListSize, 1_024, Integer.MAX_VALUE);
        require("resetBudget", resetBudget, 1, Integer.MAX_VALUE);
        require("settingsBudget", settingsBudget, 1, Integer.MAX_VALUE);
        require("pingBudget", pingBudget, 1, Integer.MAX_VALUE);
        require("emptyFrameBudget", emptyFrameBudget, 1, Integer.MAX_VALUE);
        if (floodWindow == null || floodWindow.toMillis() < 1) {
            throw new InvalidConfigException("Http2Config", "http2.floodWindow", floodWindow, "must be at least 1 ms");
        }
    }

    /** These SETTINGS limits with the default flood budgets. */
    public Http2Config(
            boolean enabled, int maxConcurrentStreams, int initialWindowSize, int maxFrameSize, int maxHeaderListSize) {
        this(
                enabled,
                maxConcurrentStreams,
                initialWindowSize,
                maxFrameSize,
                maxHeaderListSize,
                200,
                50,
                100,
                1_000,
                FLOOD_WINDOW);
    }

    /** These limits with HTTP/2 on or off. */
    public Http2Config withEnabled(boolean on) {
        return new Http2Config(
                on,
                maxConcurrentStreams,
                initialWindowSize,
                maxFrameSize,
                maxHeaderListSize,
                resetBudget,
                settingsBudget,
                pingBudget,
                emptyFrameBudget,
                floodWindow);
    }

    /** These limits with other flood budgets, each so many per {@code window}. */
    public Http2Config withFloodBudgets(int resets, int settings, int pings, int emptyFrames, Duration window) {
        return new Http2Config(
                enabled,
                maxConcurrentStreams,
                initialWindowSize,
                maxFrameSize,
                maxHeaderListSize,
                resets,
                settings,
                pings,
                emptyFrames,
                window);
    }

    private static void require(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidConfigException(
                    "Http2Config", "http2." + field, value, "must be between " + min + " and " + max);
        }
    }
}
