package dev.httpsd.autoconfigure.handler;

/**
 * Thrown by a handler (or by httpsd while binding its arguments) to answer with a status and a
 * message: unless an {@link ExceptionMapping} method takes it, the response is an RFC 9457
 * problem ({@code application/problem+json} when the client accepts JSON, else {@code
 * text/plain}) with the status, its reason phrase and the message as {@code detail}. The
 * connection is kept.
 */
public class HttpStatusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status a status code, 400 to 599 for an error
     * @param detail what went wrong, for the client: never put secrets in it
     */
    public HttpStatusException(int status, String detail) {
        this(status, detail, null);
    }

    public HttpStatusException(int status, String detail, Throwable cause) {
        super(detail, cause);
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have three digits: " + status);
        }
        this.status = status;
    }

    /** The status code of the answer. */
    public int status() {
        return status;
    }
}
