package dev.httpsd.server;

/**
 * A custom handler for one {@link HttpError} ({@code httpd_err_handler_func_t}), registered with
 * {@link HttpServer#registerErrorHandler}. The handler writes the response; when it sends nothing,
 * the server sends the error's default response after it (status, ESP's text, {@code Allow} for
 * 405), so an error is never answered with an empty {@code 200}. ESP sends nothing in that case
 * and leaves the client waiting.
 *
 * <p>The request may be only partly parsed (for example after a malformed request line its method
 * and URI are {@code null}).
 *
 * <p>Keep or close, as ESP's {@code ESP_OK} or failure: {@code true} keeps the session when the
 * connection can still carry a request. It cannot after {@link HttpError#INTERNAL_SERVER_ERROR_500}
 * (as in ESP), nor after an error raised while the request head or body was being read (a
 * malformed or oversized head, a stalled body): the bytes of that request still on the wire would
 * be read as the next one. One exception is ESP's retry: a {@link HttpError#REQUEST_TIMEOUT_408}
 * handler that returns {@code true} without sending anything while the request head is being
 * read keeps the session waiting for the rest of the head, with its timeouts starting over.
 */
@FunctionalInterface
public interface ErrorHandler {

    /**
     * Handles an error.
     *
     * @return {@code true} to keep the session open (ESP's {@code ESP_OK}), {@code false} to close
     *     it; see the class description for when the session closes anyway
     * @throws Exception to close the session
     */
    boolean handle(HttpRequest request, HttpResponse response, HttpError error) throws Exception;
}
