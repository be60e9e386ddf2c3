package dev.httpsd.autoconfigure.observation;

import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.RequestObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Turns every request into an observation: started and put in scope on the session's thread when
 * the request starts (so what the handler logs carries the trace context), stopped there once the
 * response is complete, with the handler's template, the status and the exception.
 */
final class RequestObservations implements RequestObserver {

    private static final HttpsServerRequestObservationConvention DEFAULT =
            new DefaultHttpsServerRequestObservationConvention();

    private final ObservationRegistry registry;
    private final HttpsServerRequestObservationConvention convention;

    /** @param convention the application's convention, or {@code null} for the default one */
    RequestObservations(ObservationRegistry registry, HttpsServerRequestObservationConvention convention) {
        this.registry = registry;
        this.convention = convention;
    }

    @Override
    public Object requestStarted(HttpRequest request) {
        if (registry.isNoop()) {
            return null;
        }
        HttpsServerRequestObservationContext context = new HttpsServerRequestObservationContext(request);
        Observation observation = Observation.createNotStarted(convention, DEFAULT, () -> context, registry);
        if (observation.isNoop()) {
            return null; // an ObservationPredicate turned it off
        }
        observation.start();
        return new ObservedRequest(observation, context, observation.openScope());
    }

    @Override
    public void requestCompleted(CompletedRequest completed) {
        HttpRequest request = completed.request();
        ObservedRequest observed = request == null
                ? null
                : request.observation(ObservedRequest.class).orElse(null);
        if (observed == null) {
            return;
        }
        // the core completes a request on the thread that started it: the scope closes where it opened
        observed.scope().close();
        observed.context().setResponse(completed);
        if (completed.exception() != null && observed.context().getError() == null) {
            observed.observation().error(completed.exception());
        }
        observed.observation().stop();
    }

    /** What the observer keeps for one request: its observation, context and session-thread scope. */
    record ObservedRequest(
            Observation observation, HttpsServerRequestObservationContext context, Observation.Scope scope) {}
}
