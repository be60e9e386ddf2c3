package dev.httpsd.autoconfigure.observation;

import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.HttpRequest;
import io.micrometer.observation.transport.RequestReplyReceiverContext;

/**
 * The observation context of one request to the httpsd server: the request is the carrier (its
 * headers are what tracing reads the incoming trace context from, e.g. W3C {@code traceparent}),
 * the {@link CompletedRequest} the response, set once the response is complete. Like Spring's
 * {@code ServerRequestObservationContext} for servlet requests.
 */
public class HttpsServerRequestObservationContext extends RequestReplyReceiverContext<HttpRequest, CompletedRequest> {

    /** @param request the request, as it starts */
    public HttpsServerRequestObservationContext(HttpRequest request) {
        super((carrier, key) -> carrier.header(key).orElse(null));
        setCarrier(request);
    }

    /**
     * The URI template of the handler that served the request ({@code /files/*}, say), or {@code
     * null} when no handler matched or the response is not complete yet.
     */
    public String getUriTemplate() {
        CompletedRequest completed = getResponse();
        return completed == null ? null : completed.uriTemplate();
    }
}
