package dev.httpsd.server.http1;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.ErrorHandler;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import java.io.IOException;

/**
 * Answers errors the way ESP's {@code httpd_req_handle_err} does: through the custom error
 * handler registered for the error, or with the default response (status, ESP's text). A custom
 * handler that sends nothing gets the default response sent after it, so an error is never
 * answered with the empty {@code 200} a finished response would otherwise be (ESP would leave the
 * client waiting instead).
 *
 * <p>Whether the connection survives is told to the exchange's {@link Persistence}: never after
 * a 500 or after a request that broke the connection's framing; after a route error (404, 405)
 * when the custom handler keeps it or, with no custom answer, unless the server is
 * ESP-compatible (ESP closes after every default error); after a handler's own {@code
 * handleError} only when its custom handler keeps it.
 */
final class ErrorResponder {

    private final ConnectionContext connection;
    private final Persistence persistence;
    private final boolean defaultAnswerCloses;

    ErrorResponder(ConnectionContext connection, Persistence persistence) {
        this.connection = connection;
        this.persistence = persistence;
        this.defaultAnswerCloses = connection.config().espIdfCompatible();
    }

    /** A route error (404, 405) for a request whose framing is intact. */
    void answerRouteError(HttpRequest request, HttpResponse response, HttpError error) throws IOException {
        answer(request, response, error, !defaultAnswerCloses);
    }

    /**
     * The request broke the connection's framing (an unparsable head, a malformed, oversized or
     * stalled body) or its handler failed (500): answered, and the connection closes after.
     */
    void answerAndClose(HttpRequest request, HttpResponse response, HttpError error) throws IOException {
        persistence.closeAfterResponse(); // whatever a custom handler answers says Connection: close
        answer(request, response, error, false);
    }

    /**
     * A handler's {@code handleError}: the default response closes the connection, as in ESP.
     *
     * @return whether the session stays open afterwards
     */
    boolean handleError(HttpRequest request, HttpResponse response, HttpError error) throws IOException {
        boolean keep = answer(request, response, error, false);
        if (!keep) {
            persistence.closeAfterResponse();
        }
        return keep;
    }

    /**
     * A request head that did not arrive within its timeouts: ESP's retry. A custom 408 handler
     * that returns {@code true} without sending anything keeps the session waiting for the head;
     * otherwise the 408 is answered and the session closes, since the bytes of the head received
     * so far leave the connection's framing unknown.
     *
     * @return true to keep waiting for the head
     */
    boolean keepWaitingForHead(HttpRequest request, HttpResponse response) throws IOException {
        ErrorHandler custom = connection.errorHandler(HttpError.REQUEST_TIMEOUT_408);
        if (custom != null
                && run(custom, request, response, HttpError.REQUEST_TIMEOUT_408)
                && !response.isCommitted()) {
            return true;
        }
        persistence.closeAfterResponse();
        if (!response.isCommitted()) {
            response.sendError(HttpError.REQUEST_TIMEOUT_408, null);
        }
        return false;
    }

    /** @return whether the connection may stay open as far as the error is concerned */
    private boolean answer(HttpRequest request, HttpResponse response, HttpError error, boolean defaultKeeps)
            throws IOException {
        boolean serverError = error == HttpError.INTERNAL_SERVER_ERROR_500;
        if (serverError) {
            persistence.closeAfterResponse();
        }
        ErrorHandler custom = connection.errorHandler(error);
        boolean keep = custom == null || run(custom, request, response, error);
        if (!response.isCommitted()) {
            keep &= defaultKeeps;
            if (!keep) {
                persistence.closeAfterResponse();
            }
            response.sendError(error, null);
        } else if (!keep) {
            persistence.closeAfterResponse();
        }
        return keep && !serverError;
    }

    private static boolean run(ErrorHandler custom, HttpRequest request, HttpResponse response, HttpError error)
            throws IOException {
        try {
            return custom.handle(request, response, error);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("error handler for " + error.status() + " failed", e);
        }
    }
}
