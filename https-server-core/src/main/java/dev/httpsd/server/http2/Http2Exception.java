package dev.httpsd.server.http2;

/**
 * A violation of RFC 9113 found while reading from the peer, typed by its scope (§5.4): a
 * {@link Http2ConnectionException} ends the connection with GOAWAY, a {@link
 * Http2StreamException} resets one stream with RST_STREAM and the connection goes on.
 *
 * <p>These exceptions carry no stack trace: a hostile peer can cause them at the rate it sends
 * frames, and where they were thrown is in the message.
 */
abstract sealed class Http2Exception extends Exception permits Http2ConnectionException, Http2StreamException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    Http2Exception(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The code to send in GOAWAY or RST_STREAM. */
    final ErrorCode code() {
        return code;
    }
}
