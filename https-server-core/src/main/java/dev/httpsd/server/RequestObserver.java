package dev.httpsd.server;

/**
 * Told about every request: when it starts and once its response is complete, for metrics,
 * tracing and access logs. Not in ESP.
 *
 * <p>Both calls come on the session's thread, paired: a request whose start was reported is
 * always reported complete, on the same thread, after the response is complete (for an async
 * request, after {@code complete()}; for a WebSocket upgrade, when the WebSocket has closed). That
 * lets an observer keep thread-bound state, such as a tracing scope, open from one call to the
 * other. A request starts once its head is parsed, before routing; a head that could not be parsed
 * starts just before the server answers it (400, 408, 413, 414, 431, 501, 505), with no method
 * and no path. With no observer configured nothing is collected and nothing allocated.
 */
@FunctionalInterface
public interface RequestObserver {

    /**
     * A request starts. What this returns is the observer's state for the request: the request
     * answers it from {@link HttpRequest#observation(Class)} (on any thread, e.g. to an async
     * handler that carries a tracing context over).
     *
     * @param request the request; its head (method, target, headers) can be read, its body must
     *     be left to the handler
     * @return the observer's state for this request, or {@code null} for none
     */
    default Object requestStarted(HttpRequest request) {
        return null;
    }

    /** The request's response is complete. */
    void requestCompleted(CompletedRequest request);

    /**
     * This observer, then {@code next}: both are told about every request, starts in this order,
     * completions in reverse order (so an observer that opens a scope around the request encloses
     * the observers after it), and a failing one does not keep the other from being told.
     */
    default RequestObserver andThen(RequestObserver next) {
        return RequestObservers.of(this, next);
    }
}
