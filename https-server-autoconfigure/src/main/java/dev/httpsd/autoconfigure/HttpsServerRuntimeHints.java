package dev.httpsd.autoconfigure;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a native image needs beyond what ahead-of-time processing finds by itself: the JDK proxy
 * that presents the application context with the {@code https-server} namespace in {@link
 * HttpsServerInitializedEvent}. {@link UriMapping} methods are covered by its {@code @Reflective}.
 */
final class HttpsServerRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.proxies().registerJdkProxy(WebServerApplicationContext.class, ConfigurableApplicationContext.class);
        hints.proxies().registerJdkProxy(WebServerApplicationContext.class);
    }
}
