package dev.httpsd.server.http2;

/**
 * A send-side flow-control window (RFC 9113 §5.2, §6.9): how many DATA octets we may still send on
 * a stream, or on the connection (stream 0). WINDOW_UPDATE frames open it, sending DATA closes it,
 * and a change of the peer's SETTINGS_INITIAL_WINDOW_SIZE moves every stream window by the
 * difference, which can make it negative (§6.9.2). Above 2^31-1 it is a FLOW_CONTROL_ERROR
 * (§6.9.1): a stream error for a WINDOW_UPDATE on a stream, a connection error on the connection
 * or through SETTINGS.
 *
 * <p>Not thread-safe: the connection guards its windows with the lock its stream threads wait on
 * for credit.
 */
final class FlowWindow {

    private final int streamId;
    private long window;

    FlowWindow(int streamId, int initialSize) {
        this.streamId = streamId;
        this.window = initialSize;
    }

    /** The octets that may be sent now; 0 or negative means wait for a WINDOW_UPDATE. */
    long available() {
        return window;
    }

    /** Records {@code length} octets of DATA sent; never more than {@link #available()}. */
    void consume(int length) {
        if (length < 0 || length > window) {
            throw new IllegalStateException(
                    "sending " + length + " octets on stream " + streamId + " with a window of " + window);
        }
        window -= length;
    }

    /** Applies a WINDOW_UPDATE (§6.9.1). */
    void increase(int increment) throws Http2Exception {
        if (window + increment > FrameHeader.MAX_31_BIT) {
            String message = "WINDOW_UPDATE of " + increment + " takes the window of stream " + streamId + " from "
                    + window + " above 2^31-1";
            if (streamId == 0) {
                throw new Http2ConnectionException(ErrorCode.FLOW_CONTROL_ERROR, message);
            }
            throw new Http2StreamException(streamId, ErrorCode.FLOW_CONTROL_ERROR, message);
        }
        window += increment;
    }

    /** Applies a change of the peer's SETTINGS_INITIAL_WINDOW_SIZE to a stream window (§6.9.2). */
    void adjust(long delta) throws Http2ConnectionException {
        if (window + delta > FrameHeader.MAX_31_BIT) {
            throw new Http2ConnectionException(
                    ErrorCode.FLOW_CONTROL_ERROR,
                    "SETTINGS_INITIAL_WINDOW_SIZE change of " + delta + " takes the window of stream " + streamId
                            + " above 2^31-1");
        }
        window += delta;
    }

    @Override
    public String toString() {
        return "send window of stream " + streamId + ": " + window;
    }
}
