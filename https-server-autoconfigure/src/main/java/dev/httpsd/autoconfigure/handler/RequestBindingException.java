package dev.httpsd.autoconfigure.handler;

/**
 * A request whose parts do not fit the handler method's parameters: a missing or unconvertible
 * path variable, query parameter, header or cookie, a missing or malformed body. Answered {@code
 * 400} with the message, unless an {@link ExceptionMapping} method takes it.
 */
public class RequestBindingException extends HttpStatusException {

    private static final long serialVersionUID = 1L;

    public RequestBindingException(String detail, Throwable cause) {
        super(400, detail, cause);
    }
}
