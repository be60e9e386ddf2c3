package dev.httpsd.server.http2;

/**
 * A receive-side flow-control window (RFC 9113 §5.2, §6.9): how many DATA octets the peer may
 * still send on a stream, or on the connection (stream 0), and when to give credit back.
 *
 * <p>DATA frames close the window ({@link #receive}); a peer that sends more than it was allowed is
 * a FLOW_CONTROL_ERROR (§6.9.1), a stream error on a stream and a connection error on the
 * connection. As the handler reads (or as discarded DATA is dropped), {@link #release} collects the
 * credit and hands it back as one WINDOW_UPDATE increment once it reaches half the target window,
 * so a body streamed in small reads does not cost a WINDOW_UPDATE per read, and a handler that does
 * not read stops the peer (backpressure) after at most the target window.
 *
 * <p>Not thread-safe, like {@link FlowWindow}.
 */
final class ReceiveWindow {

    private final int streamId;
    private final int target;
    private final int threshold;
    private long window;
    private long released;

    /**
     * @param initialSize the window the peer starts from: our SETTINGS_INITIAL_WINDOW_SIZE for a
     *     stream, 65,535 for the connection (§6.9.2)
     * @param target the window to keep offering; above {@code initialSize}, the difference is due at
     *     once ({@link #initialIncrement()})
     */
    ReceiveWindow(int streamId, int initialSize, int target) {
        if (initialSize < 0 || target < 1 || target < initialSize) {
            throw new IllegalArgumentException("initial window " + initialSize + ", target " + target);
        }
        this.streamId = streamId;
        this.window = initialSize;
        this.target = target;
        this.threshold = Math.max(1, target / 2);
    }

    /** What the peer may still send. */
    long window() {
        return window;
    }

    /**
     * The WINDOW_UPDATE increment that brings the window from its initial size to the target (0
     * when they are equal); the connection sends it right after its SETTINGS.
     */
    int initialIncrement() {
        long increment = target - window - released;
        if (increment <= 0) {
            return 0;
        }
        window += increment;
        return (int) increment;
    }

    /** Records a DATA frame of {@code flowControlled} octets, padding included. */
    void receive(int flowControlled) throws Http2Exception {
        if (flowControlled > window) {
            String message =
                    "DATA of " + flowControlled + " octets on stream " + streamId + " exceeds its window of " + window;
            if (streamId == 0) {
                throw new Http2ConnectionException(ErrorCode.FLOW_CONTROL_ERROR, message);
            }
            throw new Http2StreamException(streamId, ErrorCode.FLOW_CONTROL_ERROR, message);
        }
        window -= flowControlled;
    }

    /**
     * Returns {@code length} received octets to the peer's credit: the handler read them, or they
     * were dropped.
     *
     * @return the increment to send in a WINDOW_UPDATE now, or 0 to wait for more
     */
    int release(int length) {
        released += length;
        if (released < threshold) {
            return 0;
        }
        int increment = (int) released;
        window += increment;
        released = 0;
        return increment;
    }

    @Override
    public String toString() {
        return "receive window of stream " + streamId + ": " + window + " (+" + released + " to return)";
    }
}
