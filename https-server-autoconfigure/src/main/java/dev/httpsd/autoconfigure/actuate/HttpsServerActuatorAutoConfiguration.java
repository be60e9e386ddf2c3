package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.HttpsServerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.autoconfigure.info.InfoContributorFallback;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics, health and info for the httpsd server, each only when its library is on the
 * classpath: without Actuator and Micrometer nothing here is created and the request path does no
 * extra work. Health is the component {@code httpsd} ({@code management.health.httpsd.enabled});
 * info the section {@code httpsd}, off unless {@code management.info.httpsd.enabled=true}.
 * Certificates are reported by Boot's {@code ssl} health and info through SSL bundles. The
 * management listener is {@link HttpsServerManagementAutoConfiguration}.
 */
@AutoConfiguration(
        after = HttpsServerAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
            "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
            "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration"
        })
@ConditionalOnBean(HttpsServerLifecycle.class)
public final class HttpsServerActuatorAutoConfiguration {

    HttpsServerActuatorAutoConfiguration() {}

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static final class Metrics {

        @Bean
        @ConditionalOnMissingBean
        HttpsServerMetrics httpsServerMetrics(
                MeterRegistry registry,
                HttpsServerProperties properties,
                ObjectProvider<HttpsServerLifecycle> lifecycle) {
            // the lifecycle is built from the server's configuration, which this customizer is part
            // of: it is looked up once the server runs, when the meters are registered
            return new HttpsServerMetrics(
                    registry,
                    properties.getTransportMode(),
                    () -> lifecycle.getObject().certificateReloads());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AbstractHealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("httpsd")
    static final class Health {

        @Bean
        @ConditionalOnMissingBean(name = "httpsdHealthIndicator")
        HttpsServerHealthIndicator httpsdHealthIndicator(HttpsServerLifecycle lifecycle) {
            return new HttpsServerHealthIndicator(lifecycle);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({InfoContributor.class, ConditionalOnEnabledInfoContributor.class})
    static final class Info {

        @Bean
        @ConditionalOnEnabledInfoContributor(value = "httpsd", fallback = InfoContributorFallback.DISABLE)
        @ConditionalOnMissingBean(name = "httpsdInfoContributor")
        HttpsServerInfoContributor httpsdInfoContributor(
                HttpsServerLifecycle lifecycle, HttpsServerProperties properties, ObjectProvider<SslBundles> bundles) {
            return new HttpsServerInfoContributor(lifecycle, properties, bundles.getIfAvailable());
        }
    }
}
