package dev.httpsd.server.http2;

/**
 * A connection error (RFC 9113 §5.4.1): the connection answers with GOAWAY carrying {@link
 * #code()} and the last stream it processed, then closes. The message is meant for the GOAWAY
 * debug data and the log.
 */
sealed class Http2ConnectionException extends Http2Exception permits HpackException {

    private static final long serialVersionUID = 1L;

    Http2ConnectionException(ErrorCode code, String message) {
        super(code, message);
    }

    @Override
    public String toString() {
        return "connection error " + code() + ": " + getMessage();
    }
}
