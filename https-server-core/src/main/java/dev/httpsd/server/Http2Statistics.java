package dev.httpsd.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A server's HTTP/2 counters since start, over all its connections: streams opened and running,
 * RST_STREAM frames sent and received and GOAWAY frames sent, each by error code (RFC 9113 §7).
 * Read by metrics ({@code httpsd.http2.*}); zero while HTTP/2 is off. Counting costs no
 * allocation and no lock.
 *
 * <p>The {@code count…} methods are for the server's HTTP/2 protocol (the connection SPI), not
 * for applications.
 */
public final class Http2Statistics {

    /**
     * The error codes of RFC 9113 §7 by value; a code outside them is counted as {@code
     * INTERNAL_ERROR}, as §7 lets an endpoint treat an unknown code.
     */
    public static final List<String> ERROR_CODES = List.of(
            "NO_ERROR",
            "PROTOCOL_ERROR",
            "INTERNAL_ERROR",
            "FLOW_CONTROL_ERROR",
            "SETTINGS_TIMEOUT",
            "STREAM_CLOSED",
            "FRAME_SIZE_ERROR",
            "REFUSED_STREAM",
            "CANCEL",
            "COMPRESSION_ERROR",
            "CONNECT_ERROR",
            "ENHANCE_YOUR_CALM",
            "INADEQUATE_SECURITY",
            "HTTP_1_1_REQUIRED");

    private static final int INTERNAL_ERROR = 2;

    private final LongAdder streamsOpened = new LongAdder();
    private final AtomicInteger streamsCurrent = new AtomicInteger();
    private final AtomicLongArray resetsSent = new AtomicLongArray(ERROR_CODES.size());
    private final AtomicLongArray resetsReceived = new AtomicLongArray(ERROR_CODES.size());
    private final AtomicLongArray goAwaysSent = new AtomicLongArray(ERROR_CODES.size());

    /** Request streams opened (each served by a handler, or answered by the server itself). */
    public long streamsOpened() {
        return streamsOpened.sum();
    }

    /** Request streams whose handler (or the server's own answer) runs now. */
    public int streamsCurrent() {
        return streamsCurrent.get();
    }

    /** RST_STREAM frames sent with this code ({@link #ERROR_CODES}). */
    public long resetsSent(String code) {
        return resetsSent.get(index(code));
    }

    /** RST_STREAM frames received with this code ({@link #ERROR_CODES}) on streams being served. */
    public long resetsReceived(String code) {
        return resetsReceived.get(index(code));
    }

    /** GOAWAY frames sent with this code ({@link #ERROR_CODES}). */
    public long goAwaysSent(String code) {
        return goAwaysSent.get(index(code));
    }

    /** The codes of every counter that is not zero, as "kind code" → count (for logs and tests). */
    public Map<String, Long> nonZero() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < ERROR_CODES.size(); i++) {
            put(counts, "resets.sent " + ERROR_CODES.get(i), resetsSent.get(i));
            put(counts, "resets.received " + ERROR_CODES.get(i), resetsReceived.get(i));
            put(counts, "goaways.sent " + ERROR_CODES.get(i), goAwaysSent.get(i));
        }
        return counts;
    }

    // ---- for the HTTP/2 protocol --------------------------------------------------------------

    /** A request stream started. */
    public void countStreamOpened() {
        streamsOpened.increment();
        streamsCurrent.incrementAndGet();
    }

    /** A request stream that {@link #countStreamOpened started} finished. */
    public void countStreamFinished() {
        streamsCurrent.decrementAndGet();
    }

    /** An RST_STREAM frame sent, with its error code's value. */
    public void countResetSent(long code) {
        resetsSent.incrementAndGet(slot(code));
    }

    /** An RST_STREAM frame received, with its error code's value. */
    public void countResetReceived(long code) {
        resetsReceived.incrementAndGet(slot(code));
    }

    /** A GOAWAY frame sent, with its error code's value. */
    public void countGoAwaySent(long code) {
        goAwaysSent.incrementAndGet(slot(code));
    }

    private static int slot(long code) {
        return code >= 0 && code < ERROR_CODES.size() ? (int) code : INTERNAL_ERROR;
    }

    private static int index(String code) {
        int i = ERROR_CODES.indexOf(code);
        if (i < 0) {
            throw new IllegalArgumentException("not an HTTP/2 error code: " + code);
        }
        return i;
    }

    private static void put(Map<String, Long> counts, String key, long value) {
        if (value != 0) {
            counts.put(key, value);
        }
    }

    @Override
    public String toString() {
        return "Http2Statistics[streamsOpened=" + streamsOpened() + ", streamsCurrent=" + streamsCurrent() + ", "
                + nonZero() + "]";
    }
}
