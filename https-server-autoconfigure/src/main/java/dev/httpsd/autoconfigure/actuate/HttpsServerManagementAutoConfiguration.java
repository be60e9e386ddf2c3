package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointFilter;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationFilter;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.ParameterValueMapper;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.EndpointMapping;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMapper;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpointDiscoverer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointProperties;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Actuator over HTTP for applications whose only web server is httpsd: with {@code
 * management.server.port} set, a plain-HTTP httpsd listener serves every exposed web endpoint the
 * way Boot's own servers do. Boot's web-endpoint beans ({@link WebEndpointsSupplier}, the
 * exposure filter, {@link EndpointMediaTypes}, path mapping, the health web extension) are used
 * when present and created here otherwise, since Boot creates them only for servlet and reactive
 * applications.
 *
 * <p>An application that also runs a servlet or reactive web server (Tomcat, Jetty, Netty) gets
 * Actuator from Boot on that server and its management port; httpsd then binds no management
 * listener, so the two never compete for {@code management.server.port}.
 */
@AutoConfiguration(
        afterName = {
            "dev.httpsd.autoconfigure.HttpsServerAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration",
            "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
            "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration",
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"
        })
@ConditionalOnClass({WebEndpointDiscoverer.class, HealthEndpoint.class})
@ConditionalOnBean(HttpsServerLifecycle.class)
@ConditionalOnNotWebApplication
@Conditional(OnManagementPortCondition.class)
@EnableConfigurationProperties({WebEndpointProperties.class, ManagementServerProperties.class})
public final class HttpsServerManagementAutoConfiguration {

    HttpsServerManagementAutoConfiguration() {}

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static final class Listener {

        @Bean
        @ConditionalOnMissingBean(name = "webEndpointPathMapper")
        @Order(Ordered.HIGHEST_PRECEDENCE)
        PathMapper webEndpointPathMapper(WebEndpointProperties properties) {
            Map<EndpointId, String> paths = new HashMap<>();
            properties.getPathMapping().forEach((id, path) -> paths.put(EndpointId.fromPropertyValue(id), path));
            return endpointId -> StringUtils.hasText(paths.get(endpointId)) ? paths.get(endpointId) : null;
        }

        @Bean
        @ConditionalOnMissingBean
        EndpointMediaTypes endpointMediaTypes() {
            return EndpointMediaTypes.DEFAULT;
        }

        @Bean
        @ConditionalOnMissingBean(name = "webExposeExcludePropertyEndpointFilter")
        IncludeExcludeEndpointFilter<ExposableWebEndpoint> webExposeExcludePropertyEndpointFilter(
                WebEndpointProperties properties) {
            WebEndpointProperties.Exposure exposure = properties.getExposure();
            return new IncludeExcludeEndpointFilter<>(
                    ExposableWebEndpoint.class,
                    exposure.getInclude(),
                    exposure.getExclude(),
                    EndpointExposure.WEB.getDefaultIncludes());
        }

        @Bean
        @ConditionalOnMissingBean(name = "webAccessPropertiesOperationFilter")
        OperationFilter<WebOperation> webAccessPropertiesOperationFilter(EndpointAccessResolver accessResolver) {
            return OperationFilter.byAccess(accessResolver);
        }

        @Bean
        @ConditionalOnMissingBean(WebEndpointsSupplier.class)
        WebEndpointDiscoverer webEndpointDiscoverer(
                ApplicationContext context,
                ParameterValueMapper parameterValueMapper,
                EndpointMediaTypes mediaTypes,
                ObjectProvider<PathMapper> pathMappers,
                ObjectProvider<AdditionalPathsMapper> additionalPathsMappers,
                ObjectProvider<OperationInvokerAdvisor> invokerAdvisors,
                ObjectProvider<EndpointFilter<ExposableWebEndpoint>> endpointFilters,
                ObjectProvider<OperationFilter<WebOperation>> operationFilters) {
            return new WebEndpointDiscoverer(
                    context,
                    parameterValueMapper,
                    mediaTypes,
                    pathMappers.orderedStream().toList(),
                    additionalPathsMappers.orderedStream().toList(),
                    invokerAdvisors.orderedStream().toList(),
                    endpointFilters.orderedStream().toList(),
                    operationFilters.orderedStream().toList());
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(HealthEndpoint.class)
        @ConditionalOnAvailableEndpoint(endpoint = HealthEndpoint.class, exposure = EndpointExposure.WEB)
        HealthEndpointWebExtension healthEndpointWebExtension(
                HealthContributorRegistry registry,
                ObjectProvider<ReactiveHealthContributorRegistry> reactiveRegistry,
                HealthEndpointGroups groups,
                HealthEndpointProperties properties) {
            return new HealthEndpointWebExtension(
                    registry,
                    reactiveRegistry.getIfAvailable(),
                    groups,
                    properties.getLogging().getSlowIndicatorThreshold());
        }

        @Bean
        ManagementServer httpsServerManagementServer(
                ManagementServerProperties server,
                WebEndpointProperties web,
                WebEndpointsSupplier endpoints,
                EndpointMediaTypes mediaTypes,
                ObjectProvider<HealthEndpointGroups> groups,
                ObjectProvider<EndpointJsonMapper> endpointJsonMapper,
                ObjectProvider<JsonMapper> applicationJsonMapper,
                ConfigurableEnvironment environment) {
            if (Ssl.isEnabled(server.getSsl())) {
                throw new InvalidConfigurationPropertyValueException(
                        "management.server.ssl.enabled",
                        true,
                        "httpsd's management listener serves plain HTTP only (management.server.ssl is on once any"
                                + " of its properties is set); leave it on loopback (the default"
                                + " management.server.address) or put TLS in front of it");
            }
            // plain HTTP: loopback unless an address is asked for, unlike Boot's own servers' every address
            InetAddress address = server.getAddress() != null ? server.getAddress() : InetAddress.getLoopbackAddress();
            String basePath = Objects.requireNonNullElse(new EndpointMapping(server.getBasePath()).getPath(), "");
            JsonMapper application = applicationJsonMapper.getIfAvailable(
                    () -> JsonMapper.builder().build());
            JsonMapper endpoint =
                    endpointJsonMapper.getIfAvailable(() -> () -> application).get();
            EndpointResponses responses = new EndpointResponses(endpoint, application);
            ActuatorRoutes routes = new ActuatorRoutes(
                    endpoints.getEndpoints(),
                    new EndpointMapping(basePath + web.getBasePath()),
                    basePath,
                    web.getDiscovery().isEnabled(),
                    mediaTypes,
                    groups.getIfAvailable(),
                    responses);
            return new ManagementServer(address, server.getPort(), routes, environment);
        }
    }

    /** Says what is missing instead of silently serving nothing. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("tools.jackson.databind.json.JsonMapper")
    static final class WithoutJson {

        @Bean
        Object httpsServerManagementServer(Environment environment) {
            throw new InvalidConfigurationPropertyValueException(
                    "management.server.port",
                    environment.getProperty("management.server.port"),
                    "httpsd's management listener writes Actuator's JSON with Jackson 3, which is not on the"
                            + " classpath: add tools.jackson.core:jackson-databind (spring-boot-starter-jackson)");
        }
    }
}
