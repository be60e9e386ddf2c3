package dev.httpsd.server;

/**
 * HTTP/2 (RFC 9113) on a server's TLS connections: whether ALPN offers {@code h2}, and the limits
 * the server announces in its SETTINGS and enforces. Not in ESP-IDF, which speaks HTTP/1.1 only.
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
 */
public record Http2Config(
        boolean enabled, int maxConcurrentStreams, int initialWindowSize, int maxFrameSize, int maxHeaderListSize) {

    /** HTTP/2 off, with the limits it has when turned on. */
    public static final Http2Config DEFAULTS = new Http2Config(false, 100, 65_535, 16_384, 16_384);

    public Http2Config {
        require("maxConcurrentStreams", maxConcurrentStreams, 1, Integer.MAX_VALUE);
        require("initialWindowSize", initialWindowSize, 1, Integer.MAX_VALUE);
        require("maxFrameSize", maxFrameSize, 16_384, 16_777_215);
        require("maxHeaderListSize", maxHeaderListSize, 1_024, Integer.MAX_VALUE);
    }

    /** These limits with HTTP/2 on or off. */
    public Http2Config withEnabled(boolean on) {
        return new Http2Config(on, maxConcurrentStreams, initialWindowSize, maxFrameSize, maxHeaderListSize);
    }

    private static void require(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidConfigException(
                    "Http2Config", "http2." + field, value, "must be between " + min + " and " + max);
        }
    }
}
