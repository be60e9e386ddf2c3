package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.HttpsServerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics, health, info and the management port for the httpsd server, each only when its
 * library is on the classpath: without Actuator and Micrometer nothing here is created and the
 * request path does no extra work.
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
        HttpsServerMetrics httpsServerMetrics(MeterRegistry registry, HttpsServerProperties properties) {
            return new HttpsServerMetrics(registry, properties.getTransportMode());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AbstractHealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("httpsServer")
    static final class Health {

        @Bean
        @ConditionalOnMissingBean
        HttpsServerHealthIndicator httpsServerHealthIndicator(
                HttpsServerLifecycle lifecycle, HttpsServerProperties properties) {
            return new HttpsServerHealthIndicator(
                    lifecycle, properties.getHealth().getCertificateValidityWarningThreshold());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(InfoContributor.class)
    static final class Info {

        @Bean
        @ConditionalOnMissingBean
        HttpsServerInfoContributor httpsServerInfoContributor(
                HttpsServerLifecycle lifecycle, HttpsServerProperties properties) {
            return new HttpsServerInfoContributor(
                    lifecycle, properties.getHealth().getCertificateValidityWarningThreshold());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(InfoEndpoint.class)
    @ConditionalOnProperty("https-server.management.port")
    static final class Management {

        @Bean
        @ConditionalOnMissingBean
        ManagementServer httpsServerManagementServer(
                HttpsServerProperties properties,
                ObjectProvider<HealthEndpoint> health,
                ObjectProvider<InfoEndpoint> info,
                ObjectProvider<MetricsEndpoint> metrics) {
            List<ManagementServer.Endpoint> endpoints = new ArrayList<>();
            health.ifAvailable(endpoint -> endpoints.add(new ManagementServer.Endpoint("health", endpoint::health)));
            info.ifAvailable(endpoint -> endpoints.add(new ManagementServer.Endpoint("info", endpoint::info)));
            MetricsEndpoint metricsEndpoint = metrics.getIfAvailable();
            ManagementServer.MetricLookup lookup = null;
            if (metricsEndpoint != null) {
                endpoints.add(new ManagementServer.Endpoint("metrics", metricsEndpoint::listNames));
                lookup = metricsEndpoint::metric;
            }
            return new ManagementServer(
                    properties.getManagement().getPort(),
                    properties.getManagement().getAddress(),
                    endpoints,
                    lookup);
        }
    }
}
