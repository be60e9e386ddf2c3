package dev.httpsd.server;

import java.util.Objects;
import java.util.Optional;

/**
 * An {@code esp_err_t} failure of the server API. {@link #reason()} names the ESP error code, so
 * code ported from ESP-IDF can branch on the same conditions.
 *
 * <p>Only the codes the server actually raises are here. ESP's other {@code ESP_ERR_HTTPD_*} codes
 * have their Java form: {@code INVALID_REQ} is {@link IllegalStateException} (a response used
 * after it was sent, {@code complete()} without {@code beginAsync()}); {@code RESP_SEND} is the
 * {@link java.io.IOException} of the failed send; {@code RESULT_TRUNC} cannot happen (values are
 * whole {@code String}s, no buffer to truncate into); {@code ALLOC_MEM} is {@link
 * OutOfMemoryError}; {@code TASK} has no equivalent (sessions run on virtual threads, started per
 * connection).
 */
public final class HttpServerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** ESP-IDF's {@code ESP_ERR_HTTPD_*} codes (base {@code 0xb000}) that the server raises. */
    public enum Reason {
        /** {@code ESP_ERR_HTTPD_HANDLERS_FULL}: all {@code max-uri-handlers} slots are taken. */
        HANDLERS_FULL(0xb001),
        /** {@code ESP_ERR_HTTPD_HANDLER_EXISTS}: a handler already serves that URI and method. */
        HANDLER_EXISTS(0xb002),
        /** {@code ESP_ERR_HTTPD_RESP_HDR}: more response headers than {@code max-resp-headers}. */
        RESP_HDR(0xb005);

        private final int espCode;

        Reason(int espCode) {
            this.espCode = espCode;
        }

        /** The numeric ESP-IDF error code. */
        public int espCode() {
            return espCode;
        }
    }

    private final Reason reason;
    private final transient UriHandler clashingHandler;

    public HttpServerException(Reason reason, String message) {
        this(reason, message, (Throwable) null);
    }

    public HttpServerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.clashingHandler = null;
    }

    /**
     * A {@link Reason#HANDLER_EXISTS} refusal naming the registered handler the new one clashes
     * with, so that a caller can say where both come from.
     */
    public HttpServerException(UriHandler clashingHandler, String message) {
        super(message);
        this.reason = Reason.HANDLER_EXISTS;
        this.clashingHandler = Objects.requireNonNull(clashingHandler, "clashingHandler");
    }

    /** Which ESP error this is. */
    public Reason reason() {
        return reason;
    }

    /**
     * For {@link Reason#HANDLER_EXISTS}: the registered handler (the very object registered) that
     * already serves the URI and method; empty for the other reasons.
     */
    public Optional<UriHandler> clashingHandler() {
        return Optional.ofNullable(clashingHandler);
    }
}
