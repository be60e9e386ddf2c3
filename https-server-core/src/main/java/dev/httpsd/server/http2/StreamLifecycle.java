package dev.httpsd.server.http2;

/**
 * The protocol state of one stream: its {@link StreamState} and the transitions of RFC 9113 §5.1,
 * its send and receive windows (§6.9), and the request body length against its content-length
 * (§8.1.1). Receiving methods throw the stream error each illegal event earns; sending methods
 * throw {@link IllegalStateException}, because sending out of turn is our own bug.
 *
 * <ul>
 *   <li>HEADERS on an open or half-closed (local) stream are trailers, which must end the stream
 *       (§8.1: a HEADERS frame without END_STREAM after the request headers makes the request
 *       malformed) — PROTOCOL_ERROR;
 *   <li>HEADERS or DATA on a half-closed (remote) stream — STREAM_CLOSED (§5.1);
 *   <li>DATA beyond the stream's receive window — FLOW_CONTROL_ERROR (§6.9.1);
 *   <li>more DATA than content-length, or END_STREAM before it — PROTOCOL_ERROR (§8.1.1).
 * </ul>
 *
 * <p>Every exception a receiving method throws is an {@link Http2StreamException} for this stream
 * (the windows of a stream raise no connection errors). Frames for idle and closed streams never
 * get here: {@link StreamRegistry} decides about those.
 * Not thread-safe: the connection changes a stream's state under its own lock.
 */
final class StreamLifecycle implements StreamRegistry.Member {

    private final int id;
    private final FlowWindow sendWindow;
    private final ReceiveWindow receiveWindow;
    private StreamState state = StreamState.IDLE;
    private boolean resetLocally;
    /** The handler can read and write no more: a RST_STREAM either way. */
    private boolean handlerStopped;
    /** The code of the client's RST_STREAM, null when it sent none. */
    private ErrorCode peerReset;

    private long contentLength = -1;
    private long received;

    /**
     * @param peerInitialWindowSize the peer's SETTINGS_INITIAL_WINDOW_SIZE: our send window
     * @param ourInitialWindowSize our SETTINGS_INITIAL_WINDOW_SIZE: the peer's send window
     */
    StreamLifecycle(int id, int peerInitialWindowSize, int ourInitialWindowSize) {
        this.id = id;
        this.sendWindow = new FlowWindow(id, peerInitialWindowSize);
        this.receiveWindow = new ReceiveWindow(id, ourInitialWindowSize, Math.max(1, ourInitialWindowSize));
    }

    @Override
    public StreamLifecycle lifecycle() {
        return this;
    }

    int id() {
        return id;
    }

    StreamState state() {
        return state;
    }

    FlowWindow sendWindow() {
        return sendWindow;
    }

    ReceiveWindow receiveWindow() {
        return receiveWindow;
    }

    /** Whether the stream was closed by a RST_STREAM we sent (its late frames are dropped quietly). */
    boolean resetLocally() {
        return resetLocally;
    }

    /** A RST_STREAM ends the handler's reads and writes: ours ({@code peerCode} null) or the client's. */
    void stopHandler(ErrorCode peerCode) {
        handlerStopped = true;
        if (peerCode != null) {
            peerReset = peerCode;
        }
    }

    boolean handlerStopped() {
        return handlerStopped;
    }

    /**
     * Why the handler can read and write no more: the client's RST_STREAM and its code, our own
     * reset, or the connection's end.
     */
    String handlerStopReason(boolean connectionEnded) {
        if (peerReset != null) {
            return "stream " + id + " was reset by the client (RST_STREAM " + peerReset + ")";
        }
        if (connectionEnded) {
            return "stream " + id + " ended with its connection";
        }
        return "stream " + id + " was reset by the server";
    }

    /** The request body octets received so far. */
    long received() {
        return received;
    }

    /** A HEADERS frame: the request headers on an idle stream, or trailers. */
    void receiveHeaders(boolean endStream) throws Http2StreamException {
        switch (state) {
            case IDLE -> state = endStream ? StreamState.HALF_CLOSED_REMOTE : StreamState.OPEN;
            case OPEN, HALF_CLOSED_LOCAL -> {
                if (!endStream) {
                    throw malformed("trailers without END_STREAM (a second HEADERS frame must end the stream)");
                }
                checkContentLengthAtEnd();
                receivedEndStream();
            }
            default -> throw closed("HEADERS");
        }
    }

    /**
     * Declares the request's content-length (§8.1.1), once its headers are validated; checks it at
     * once when the HEADERS frame already ended the stream.
     */
    void expectContentLength(long length) throws Http2StreamException {
        contentLength = length;
        if (length >= 0 && !state.remoteOpen()) {
            checkContentLengthAtEnd();
        }
    }

    /**
     * A DATA frame: {@code length} body octets, {@code flowControlled} octets against the window.
     * The connection window is the connection's to check first.
     */
    void receiveData(int length, int flowControlled, boolean endStream) throws Http2Exception {
        if (!state.remoteOpen()) {
            throw closed("DATA");
        }
        receiveWindow.receive(flowControlled);
        received += length;
        if (contentLength >= 0 && received > contentLength) {
            throw malformed("DATA beyond content-length " + contentLength + " (" + received + " octets)");
        }
        if (endStream) {
            checkContentLengthAtEnd();
            receivedEndStream();
        }
    }

    /** The peer reset the stream (§6.4). */
    void receiveRstStream() {
        state = StreamState.CLOSED;
    }

    /** A WINDOW_UPDATE for this stream. */
    void receiveWindowUpdate(int increment) throws Http2Exception {
        sendWindow.increase(increment);
    }

    /** We send the response's HEADERS (or trailers when {@code endStream}). */
    void sendHeaders(boolean endStream) {
        requireLocalOpen("HEADERS");
        if (endStream) {
            sentEndStream();
        }
    }

    /** We send {@code length} octets of DATA; the send window must allow them. */
    void sendData(int length, boolean endStream) {
        requireLocalOpen("DATA");
        sendWindow.consume(length);
        if (endStream) {
            sentEndStream();
        }
    }

    /** We reset the stream (a stream error, or the handler gave up). */
    void sendRstStream() {
        if (state != StreamState.CLOSED) {
            resetLocally = true;
        }
        state = StreamState.CLOSED;
    }

    private void receivedEndStream() {
        state = state == StreamState.HALF_CLOSED_LOCAL ? StreamState.CLOSED : StreamState.HALF_CLOSED_REMOTE;
    }

    private void sentEndStream() {
        state = state == StreamState.HALF_CLOSED_REMOTE ? StreamState.CLOSED : StreamState.HALF_CLOSED_LOCAL;
    }

    private void requireLocalOpen(String frame) {
        if (!state.localOpen()) {
            throw new IllegalStateException("sending " + frame + " on stream " + id + " in state " + state);
        }
    }

    private void checkContentLengthAtEnd() throws Http2StreamException {
        if (contentLength >= 0 && received != contentLength) {
            throw malformed("request body of " + received + " octets, content-length " + contentLength);
        }
    }

    private Http2StreamException malformed(String problem) {
        return new Http2StreamException(id, ErrorCode.PROTOCOL_ERROR, "malformed request: " + problem);
    }

    private Http2StreamException closed(String frame) {
        return new Http2StreamException(
                id, ErrorCode.STREAM_CLOSED, frame + " on stream " + id + " after the client ended it (" + state + ")");
    }

    @Override
    public String toString() {
        return "stream " + id + " " + state;
    }
}
