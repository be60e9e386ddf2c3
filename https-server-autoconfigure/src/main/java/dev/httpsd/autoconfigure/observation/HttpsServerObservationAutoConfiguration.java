package dev.httpsd.autoconfigure.observation;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerCustomizer;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.server.tls.HttpsServerConfig;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * An {@code http.server.requests} observation per request when the application has an {@link
 * ObservationRegistry} (Spring Boot's Actuator provides one): timed by Micrometer's metrics
 * handler, traced by Micrometer Tracing when a bridge is present. The key values come from an
 * {@link HttpsServerRequestObservationConvention} bean when there is one, else from {@link
 * DefaultHttpsServerRequestObservationConvention}; {@code
 * management.observations.enable.http.server.requests=false} turns them off.
 */
@AutoConfiguration(
        after = HttpsServerAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ObservationRegistry.class, Outcome.class})
@ConditionalOnBean({HttpsServerLifecycle.class, ObservationRegistry.class})
public final class HttpsServerObservationAutoConfiguration {

    HttpsServerObservationAutoConfiguration() {}

    @Bean
    HttpsServerCustomizer httpsServerRequestObservations(
            ObservationRegistry registry, ObjectProvider<HttpsServerRequestObservationConvention> convention) {
        return new ObservationCustomizer(new RequestObservations(registry, convention.getIfUnique()));
    }

    /**
     * Adds the observer before the starter's others (metrics, access log): its scope then
     * encloses them, so an access log line carries the request's trace context.
     */
    private record ObservationCustomizer(RequestObservations observations) implements HttpsServerCustomizer, Ordered {

        @Override
        public void customize(HttpsServerConfig.Builder config) {
            config.httpd(httpd -> httpd.addRequestObserver(observations));
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
