package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.HttpsServerConfig;

/**
 * Programmatic setup of the auto-configured server. Beans of this type are applied in {@code
 * @Order} order.
 */
public interface HttpsServerCustomizer {

    /**
     * Adjusts the configuration built from {@code https-server.*}: HTTP settings and hooks through
     * {@code config.httpd(...)}, TLS callbacks, certificate selectors, event listeners.
     */
    default void customize(HttpsServerConfig.Builder config) {}

    /**
     * Called once the server is bound and before it accepts connections: register extra URI
     * handlers and custom error handlers here.
     */
    default void configure(HttpServer server) {}
}
