package dev.httpsd.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the httpsd server's request observations. Declare a bean of this type
 * to replace {@link DefaultHttpsServerRequestObservationConvention} (or extend it), as with
 * Spring's {@code ServerRequestObservationConvention} for Boot's own servers.
 */
public interface HttpsServerRequestObservationConvention
        extends ObservationConvention<HttpsServerRequestObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof HttpsServerRequestObservationContext;
    }
}
