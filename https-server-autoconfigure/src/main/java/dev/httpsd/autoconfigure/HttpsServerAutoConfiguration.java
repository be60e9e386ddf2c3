package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.HttpsServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/** Auto-configuration of the httpsd server: on unless {@code https-server.enabled=false}. */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(HttpsServer.class)
@ConditionalOnBooleanProperty(name = "https-server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HttpsServerProperties.class)
public final class HttpsServerAutoConfiguration {

    HttpsServerAutoConfiguration(Environment environment) {
        PropertyChecks.check(environment);
    }

    @Bean
    static AnnotatedHandlers httpsServerAnnotatedHandlers() {
        return new AnnotatedHandlers();
    }

    @Bean
    @ConditionalOnMissingBean
    HttpsServerConfigFactory httpsServerConfigFactory(
            HttpsServerProperties properties,
            ObjectProvider<SslBundles> sslBundles,
            ResourceLoader resourceLoader,
            ObjectProvider<HttpsServerCustomizer> customizers,
            ApplicationEventPublisher publisher) {
        return new HttpsServerConfigFactory(
                properties,
                sslBundles.getIfAvailable(),
                resourceLoader,
                customizers.orderedStream().toList(),
                properties.isPublishEvents() ? publisher : null);
    }

    @Bean
    @ConditionalOnMissingBean
    HttpsServerLifecycle httpsServerLifecycle(
            HttpsServerConfigFactory configFactory,
            AnnotatedHandlers handlers,
            HttpsServerProperties properties,
            Environment environment,
            ApplicationEventPublisher publisher) {
        return new HttpsServerLifecycle(
                configFactory,
                handlers,
                configFactory.bridge(),
                environment,
                publisher,
                properties.getShutdownGracePeriod());
    }
}
