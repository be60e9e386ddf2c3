package dev.httpsd.server;

/**
 * A custom handler for one {@link HttpError} ({@code httpd_err_handler_func_t}), registered with
 * {@link HttpServer#registerErrorHandler}. The server sends nothing itself when a custom handler
 * exists: the handler writes the response.
 *
 * <p>The request may be only partly parsed (for example after a malformed request line its method
 * and URI are {@code null}).
 */
@FunctionalInterface
public interface ErrorHandler {

    /**
     * Handles an error.
     *
     * @return {@code true} to keep the session open (ESP's {@code ESP_OK}), {@code false} to close
     *     it. The session is closed anyway for {@link HttpError#INTERNAL_SERVER_ERROR_500} and for
     *     errors raised while parsing the request, whose framing can no longer be trusted.
     * @throws Exception to close the session
     */
    boolean handle(HttpRequest request, HttpResponse response, HttpError error) throws Exception;
}
