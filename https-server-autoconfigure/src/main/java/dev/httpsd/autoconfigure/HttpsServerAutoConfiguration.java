package dev.httpsd.autoconfigure;

import dev.httpsd.autoconfigure.handler.HandlerModel;
import dev.httpsd.autoconfigure.handler.RequestInterceptor;
import dev.httpsd.server.ServerEventListener;
import dev.httpsd.server.tls.HttpsServer;
import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of the httpsd server: on unless {@code https-server.enabled=false}. The
 * server is a Spring Boot web server: started and stopped in Boot's start/stop phase, drained in
 * its graceful-shutdown phase when {@code server.shutdown} is {@code graceful} (the default),
 * within {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(HttpsServer.class)
@ConditionalOnBooleanProperty(name = "https-server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HttpsServerProperties.class)
@ImportRuntimeHints(HttpsServerRuntimeHints.class)
public final class HttpsServerAutoConfiguration {

    HttpsServerAutoConfiguration(Environment environment) {
        PropertyChecks.check(environment);
    }

    @Bean
    static AnnotatedHandlers httpsServerAnnotatedHandlers() {
        return new AnnotatedHandlers();
    }

    @Bean
    HandlerModel httpsServerHandlerModel(ListableBeanFactory beanFactory, HttpsServerProperties properties) {
        return new HandlerModel(
                beanFactory, properties.getCodec().getMaxInMemorySize().toBytes());
    }

    @Bean
    @ConditionalOnBooleanProperty("https-server.compression.enabled")
    RequestInterceptor httpsServerCompressionInterceptor(HttpsServerProperties properties) {
        CompressionProperties compression = properties.getCompression();
        try {
            return HandlerModel.compressionInterceptor(
                    compression.getMimeTypes(), compression.getMinResponseSize().toBytes());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(
                    "https-server.compression.mime-types", compression.getMimeTypes(), e.getMessage());
        }
    }

    @Bean
    @Conditional(OnCorsConfiguredCondition.class)
    RequestInterceptor httpsServerCorsInterceptor(HttpsServerProperties properties) {
        CorsProperties cors = properties.getCors();
        try {
            return HandlerModel.corsInterceptor(
                    cors.getAllowedOrigins(),
                    cors.getAllowedOriginPatterns(),
                    cors.getAllowedMethods(),
                    cors.getAllowedHeaders(),
                    cors.getExposedHeaders(),
                    cors.isAllowCredentials(),
                    cors.getMaxAge());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(
                    "https-server.cors", cors.getAllowedOrigins(), e.getMessage());
        }
    }

    @Bean
    @ConfigurationPropertiesBinding
    static ClientAuthConverter httpsServerClientAuthConverter() {
        return new ClientAuthConverter();
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "https-server.publish-events", matchIfMissing = true)
    ServerEventBridge httpsServerEventBridge(ApplicationEventPublisher publisher, HttpsServerProperties properties) {
        return new ServerEventBridge(
                publisher, EventSelection.parse(properties.getEvents().getPublish()));
    }

    @Bean
    @ConditionalOnBooleanProperty("https-server.access-log.enabled")
    AccessLog httpsServerAccessLog() {
        return new AccessLog();
    }

    @Bean
    ServerEventListenerBeans httpsServerEventListenerBeans(ObjectProvider<ServerEventListener> listeners) {
        return new ServerEventListenerBeans(listeners);
    }

    @Bean
    TlsMaterialResolver httpsServerTlsMaterial(
            HttpsServerProperties properties,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<SslProperties> sslProperties,
            ResourceLoader resourceLoader) {
        // ticket key files are watched as Boot watches SSL bundle files: after the same quiet period
        Duration quietPeriod = sslProperties
                .getIfAvailable(SslProperties::new)
                .getBundle()
                .getWatch()
                .getFile()
                .getQuietPeriod();
        // plain paths are files (Spring Boot's convention for certificate locations), classpath: works too
        return new TlsMaterialResolver(
                properties,
                sslBundles.getIfAvailable(),
                ApplicationResourceLoader.get(resourceLoader, true),
                quietPeriod);
    }

    @Bean
    HttpsServerConfigFactory httpsServerConfigFactory(
            HttpsServerProperties properties,
            TlsMaterialResolver tls,
            ObjectProvider<HttpsServerCustomizer> customizers,
            ObjectProvider<ServerEventBridge> eventBridge) {
        return new HttpsServerConfigFactory(
                properties, tls, customizers.orderedStream().toList(), eventBridge.getIfAvailable());
    }

    @Bean
    HttpsdWebServer httpsServerWebServer(
            HttpsServerConfigFactory configFactory,
            AnnotatedHandlers handlers,
            ObjectProvider<ServerEventBridge> eventBridge,
            TlsMaterialResolver tls,
            ObjectProvider<HttpsServerCustomizer> customizers,
            ObjectProvider<LifecycleProperties> lifecycle) {
        Duration drainTimeout =
                lifecycle.getIfAvailable(LifecycleProperties::new).getTimeoutPerShutdownPhase();
        return new HttpsdWebServer(
                configFactory,
                handlers,
                eventBridge.getIfAvailable(),
                tls,
                customizers.orderedStream().toList(),
                drainTimeout);
    }

    @Bean
    HttpsServerLifecycle httpsServerLifecycle(HttpsdWebServer webServer, ApplicationContext context) {
        return new HttpsServerLifecycle(webServer, context);
    }

    @Bean
    @ConditionalOnProperty(name = "server.shutdown", havingValue = "graceful", matchIfMissing = true)
    WebServerGracefulShutdownLifecycle httpsServerGracefulShutdown(HttpsdWebServer webServer) {
        return new WebServerGracefulShutdownLifecycle(webServer);
    }
}
