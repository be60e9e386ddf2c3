package dev.httpsd.autoconfigure.observation;

import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.HttpRequest;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.binder.http.Outcome;
import java.util.Locale;

/**
 * The default convention: the observation {@code http.server.requests} with the key values
 * Spring's servers give it, so Boot's dashboards and alerts find httpsd's requests.
 *
 * <ul>
 *   <li>{@code method}: the request method; {@code UNKNOWN} for a head that could not be parsed.
 *   <li>{@code uri}: the URI template of the handler that served the request, as registered
 *       ({@code /hello}, {@code /files/*}); {@code REDIRECTION} for a 3xx no handler matched (a
 *       custom 404 error handler that redirects); {@code UNKNOWN} otherwise: no handler matched
 *       (404, 405) or the head could not be parsed. Spring's convention names an unmatched 404
 *       {@code NOT_FOUND}; httpsd keeps every unmatched request under {@code UNKNOWN}, 404 and
 *       405 alike (override {@link #uri} for Spring's name). Templates are never empty, so
 *       Spring's {@code root} does not arise.
 *   <li>{@code status}: the status code; {@code UNKNOWN} before the response is complete.
 *   <li>{@code outcome}: Micrometer's {@link Outcome} of the status ({@code SUCCESS}, {@code
 *       CLIENT_ERROR}…).
 *   <li>{@code exception}: the simple class name of what the handler threw, else {@code none}.
 *   <li>{@code http.url} (high cardinality): the request path, without the query.
 * </ul>
 *
 * <p>The contextual name, which becomes the span name, is {@code http get /hello}: the method in
 * lower case and the template when one matched.
 */
public class DefaultHttpsServerRequestObservationConvention implements HttpsServerRequestObservationConvention {

    /** The observation's name, the same as Spring's servers use. */
    public static final String NAME = "http.server.requests";

    private static final String UNKNOWN = "UNKNOWN";
    private static final KeyValue METHOD_UNKNOWN = KeyValue.of("method", UNKNOWN);
    private static final KeyValue STATUS_UNKNOWN = KeyValue.of("status", UNKNOWN);
    private static final KeyValue URI_UNKNOWN = KeyValue.of("uri", UNKNOWN);
    private static final KeyValue URI_REDIRECTION = KeyValue.of("uri", "REDIRECTION");
    private static final KeyValue EXCEPTION_NONE = KeyValue.of("exception", KeyValue.NONE_VALUE);
    private static final KeyValue HTTP_URL_UNKNOWN = KeyValue.of("http.url", UNKNOWN);

    private final String name;

    /** The convention for {@code http.server.requests}. */
    public DefaultHttpsServerRequestObservationConvention() {
        this(NAME);
    }

    /** The same key values under another observation name. */
    public DefaultHttpsServerRequestObservationConvention(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getContextualName(HttpsServerRequestObservationContext context) {
        HttpRequest request = context.getCarrier();
        String method = request == null || request.method() == null
                ? "unknown"
                : request.method().token().toLowerCase(Locale.ROOT);
        String template = context.getUriTemplate();
        return template == null ? "http " + method : "http " + method + " " + template;
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(HttpsServerRequestObservationContext context) {
        // sorted by key: KeyValues keeps them sorted and is cheapest fed in order
        return KeyValues.of(exception(context), method(context), outcome(context), status(context), uri(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(HttpsServerRequestObservationContext context) {
        return KeyValues.of(httpUrl(context));
    }

    protected KeyValue method(HttpsServerRequestObservationContext context) {
        HttpRequest request = context.getCarrier();
        return request == null || request.method() == null
                ? METHOD_UNKNOWN
                : KeyValue.of("method", request.method().token());
    }

    protected KeyValue status(HttpsServerRequestObservationContext context) {
        CompletedRequest completed = context.getResponse();
        return completed == null ? STATUS_UNKNOWN : KeyValue.of("status", Integer.toString(completed.status()));
    }

    protected KeyValue uri(HttpsServerRequestObservationContext context) {
        String template = context.getUriTemplate();
        if (template != null) {
            return KeyValue.of("uri", template);
        }
        CompletedRequest completed = context.getResponse();
        if (completed != null && completed.status() >= 300 && completed.status() < 400) {
            return URI_REDIRECTION;
        }
        return URI_UNKNOWN;
    }

    protected KeyValue outcome(HttpsServerRequestObservationContext context) {
        CompletedRequest completed = context.getResponse();
        return completed == null
                ? Outcome.UNKNOWN.asKeyValue()
                : Outcome.forStatus(completed.status()).asKeyValue();
    }

    protected KeyValue exception(HttpsServerRequestObservationContext context) {
        Throwable error = context.getError();
        if (error == null) {
            return EXCEPTION_NONE;
        }
        String simpleName = error.getClass().getSimpleName();
        return KeyValue.of("exception", simpleName.isEmpty() ? error.getClass().getName() : simpleName);
    }

    protected KeyValue httpUrl(HttpsServerRequestObservationContext context) {
        HttpRequest request = context.getCarrier();
        return request == null || request.path() == null ? HTTP_URL_UNKNOWN : KeyValue.of("http.url", request.path());
    }
}
