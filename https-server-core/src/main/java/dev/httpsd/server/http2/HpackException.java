package dev.httpsd.server.http2;

/**
 * A header block that cannot be decoded (RFC 7541 §2.3.3, §4.2, §5.1, §5.2, §6): once the
 * decoder has failed, its dynamic table no longer follows the peer's, so this is always a
 * connection error of type COMPRESSION_ERROR (RFC 9113 §4.3).
 */
final class HpackException extends Http2ConnectionException {

    private static final long serialVersionUID = 1L;

    HpackException(String message) {
        super(ErrorCode.COMPRESSION_ERROR, message);
    }
}
