package dev.httpsd.autoconfigure.observation;

import dev.httpsd.server.HttpRequest;
import io.micrometer.observation.Observation;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The observation of a request, for code that handles it on another thread than the session's.
 *
 * <p>The session's thread has the request's observation in scope while the handler runs: what the
 * handler logs carries {@code traceId} and {@code spanId}, and spans it starts are children of
 * the request's. A thread the handler hands the request to (an async handler that finishes it
 * later) has no such scope until it opens one. Wrap the work:
 *
 * <pre>{@code
 * AsyncRequest async = request.beginAsync();
 * executor.execute(HttpsServerObservations.wrap(request, () -> {
 *     log.info("finishing");            // carries the request's traceId
 *     async.response().send("done");
 *     async.complete();
 * }));
 * }</pre>
 *
 * <p>An exception the async work catches can be recorded on the observation with {@code
 * observation(request).ifPresent(o -> o.error(e))}: it then becomes the {@code exception} key
 * value and marks the span. Without an observation (no {@code ObservationRegistry}, or
 * observations turned off) the work is returned as it is.
 */
public final class HttpsServerObservations {

    private HttpsServerObservations() {}

    /** The request's observation, while the starter observes requests. */
    public static Optional<Observation> observation(HttpRequest request) {
        return Objects.requireNonNull(request, "request")
                .observation(RequestObservations.ObservedRequest.class)
                .map(RequestObservations.ObservedRequest::observation);
    }

    /** The request's observation context: its carrier, template and completed response. */
    public static Optional<HttpsServerRequestObservationContext> context(HttpRequest request) {
        return Objects.requireNonNull(request, "request")
                .observation(RequestObservations.ObservedRequest.class)
                .map(RequestObservations.ObservedRequest::context);
    }

    /**
     * {@code task}, run with the request's observation in scope on whatever thread runs it. Only
     * the scope: the observation is the request's, started when its head was parsed and stopped
     * by the server once the response is complete ({@link Observation#wrap(Runnable)} would start
     * and stop it a second time).
     */
    public static Runnable wrap(HttpRequest request, Runnable task) {
        Objects.requireNonNull(task, "task");
        Observation observation = observation(request).orElse(null);
        if (observation == null) {
            return task;
        }
        return () -> {
            try (Observation.Scope scope = observation.openScope()) {
                task.run();
            }
        };
    }

    /** {@code task}, called with the request's observation in scope on whatever thread calls it. */
    public static <T> Callable<T> wrap(HttpRequest request, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Observation observation = observation(request).orElse(null);
        if (observation == null) {
            return task;
        }
        return () -> {
            try (Observation.Scope scope = observation.openScope()) {
                return task.call();
            }
        };
    }
}
