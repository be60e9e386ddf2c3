package dev.httpsd.server;

/**
 * A URI handler ({@code httpd_uri_t.handler}). Returning normally is ESP's {@code ESP_OK}; throwing
 * is a failure: the server answers 500 if nothing was sent yet and closes the session.
 *
 * <p>If the handler returns without sending anything and without {@linkplain
 * HttpRequest#beginAsync() detaching} the request, the server sends an empty response with the
 * status set so far (ESP would leave the client waiting). A chunked response that was not
 * terminated is terminated for it.
 */
@FunctionalInterface
public interface RequestHandler {

    /**
     * Serves one request.
     *
     * @param request the request: method, URI, headers, body, session
     * @param response the response to write
     * @throws Exception to fail the request; the session is closed
     */
    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
