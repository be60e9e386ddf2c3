package dev.httpsd.server.http2;

/**
 * A stream error (RFC 9113 §5.4.2): the connection sends RST_STREAM with {@link #code()} for
 * {@link #streamId()} and keeps serving its other streams.
 */
final class Http2StreamException extends Http2Exception {

    private static final long serialVersionUID = 1L;

    private final int streamId;

    Http2StreamException(int streamId, ErrorCode code, String message) {
        super(code, message);
        this.streamId = streamId;
    }

    int streamId() {
        return streamId;
    }

    @Override
    public String toString() {
        return "stream " + streamId + " error " + code() + ": " + getMessage();
    }
}
