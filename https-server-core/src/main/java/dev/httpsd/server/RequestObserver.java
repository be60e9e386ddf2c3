package dev.httpsd.server;

/**
 * Told about every completed request, for metrics and access logs. Called on the session's
 * thread after the response is complete (for async requests, after {@code complete()}); with no
 * observer configured nothing is collected. Not in ESP.
 */
@FunctionalInterface
public interface RequestObserver {

    void requestCompleted(CompletedRequest request);
}
