package dev.httpsd.server;

/**
 * An {@code esp_err_t} failure of the server API. {@link #reason()} names the ESP error code, so
 * code ported from ESP-IDF can branch on the same conditions.
 */
public final class HttpServerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** ESP-IDF's {@code ESP_ERR_HTTPD_*} codes (base {@code 0xb000}). */
    public enum Reason {
        /** {@code ESP_ERR_HTTPD_HANDLERS_FULL}: all {@code max-uri-handlers} slots are taken. */
        HANDLERS_FULL(0xb001),
        /** {@code ESP_ERR_HTTPD_HANDLER_EXISTS}: a handler already serves that URI and method. */
        HANDLER_EXISTS(0xb002),
        /** {@code ESP_ERR_HTTPD_INVALID_REQ}: the request is no longer valid for this call. */
        INVALID_REQ(0xb003),
        /** {@code ESP_ERR_HTTPD_RESULT_TRUNC}: a value did not fit. */
        RESULT_TRUNC(0xb004),
        /** {@code ESP_ERR_HTTPD_RESP_HDR}: more response headers than {@code max-resp-headers}. */
        RESP_HDR(0xb005),
        /** {@code ESP_ERR_HTTPD_RESP_SEND}: the response could not be written. */
        RESP_SEND(0xb006),
        /** {@code ESP_ERR_HTTPD_ALLOC_MEM}: a resource could not be allocated. */
        ALLOC_MEM(0xb007),
        /** {@code ESP_ERR_HTTPD_TASK}: the server thread could not be started. */
        TASK(0xb008);

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

    public HttpServerException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public HttpServerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Which ESP error this is. */
    public Reason reason() {
        return reason;
    }
}
