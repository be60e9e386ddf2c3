package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Starts the server once the context is refreshed and stops it gracefully when the context
 * closes: new connections are refused at once, requests in flight get {@code
 * https-server.shutdown-grace-period} to finish. Publishes the bound port as {@code
 * local.https-server.port} and an {@link HttpsServerInitializedEvent}.
 */
public final class HttpsServerLifecycle implements SmartLifecycle {

    /** Starts late and stops early, like Spring Boot's web servers. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    public static final String PORT_PROPERTY = "local.https-server.port";

    /**
     * The Spring Boot SSL bundle under which httpsd registers the certificates it presents that no
     * {@code spring.ssl} bundle holds (PEM properties, development certificate, customizers), so
     * that Boot's {@code ssl} health and info cover them.
     */
    public static final String SSL_BUNDLE = "https-server";

    private static final Log LOG = LogFactory.getLog(HttpsServerLifecycle.class);
    private static final String PROPERTY_SOURCE = "https-server.ports";

    private final HttpsServerConfigFactory configFactory;
    private final AnnotatedHandlers handlers;
    private final ServerEventBridge bridge;
    private final Environment environment;
    private final ApplicationEventPublisher publisher;
    private final Duration gracePeriod;
    private volatile HttpsServer server;

    HttpsServerLifecycle(
            HttpsServerConfigFactory configFactory,
            AnnotatedHandlers handlers,
            ServerEventBridge bridge,
            Environment environment,
            ApplicationEventPublisher publisher,
            Duration gracePeriod) {
        this.configFactory = configFactory;
        this.handlers = handlers;
        this.bridge = bridge;
        this.environment = environment;
        this.publisher = publisher;
        this.gracePeriod = gracePeriod;
    }

    @Override
    public void start() {
        HttpsServerConfig config = configFactory.create();
        HttpsServer started;
        try {
            started = HttpsServer.start(config, this::beforeAccepting);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // e.g. a cipher suite this JVM lacks, found only when the TLS context is built
            throw HttpsServerConfigFactory.asPropertyError(e, config);
        }
        configFactory.tls().followBundleUpdates(started);
        this.server = started;
        publishPort(started);
        LOG.info("httpsd serving "
                + (config.transportMode() == dev.httpsd.server.tls.TransportMode.SECURE ? "HTTPS" : "HTTP")
                + " on port " + started.port()
                + started.redirectServer()
                        .map(r -> " (redirecting HTTP on port " + r.port() + ")")
                        .orElse(""));
        publisher.publishEvent(new HttpsServerInitializedEvent(started));
    }

    private void beforeAccepting(HttpServer http) {
        if (bridge != null) {
            bridge.bind(http);
        }
        handlers.registerAll(http);
        configFactory.customizers().forEach(customizer -> customizer.configure(http));
    }

    @Override
    public void stop(Runnable callback) {
        try {
            HttpsServer running = server;
            if (running != null) {
                boolean clean = running.stop(gracePeriod);
                if (!clean) {
                    LOG.info("Requests still in flight after the " + gracePeriod.toMillis()
                            + " ms grace period were closed");
                }
            }
        } finally {
            server = null;
            callback.run();
        }
    }

    @Override
    public void stop() {
        HttpsServer running = server;
        server = null;
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The running server, or {@code null} when stopped. */
    public HttpsServer server() {
        return server;
    }

    /**
     * Whether the running server presents the self-signed development certificate (generated
     * because no TLS material was configured) as its default certificate now.
     */
    public boolean usesDevelopmentCertificate() {
        HttpsServer running = server;
        return running != null
                && configFactory
                        .tls()
                        .isDevelopmentCertificate(running.serverKey().orElse(null));
    }

    private void publishPort(HttpsServer started) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return;
        }
        Map<String, Object> ports = new HashMap<>();
        ports.put(PORT_PROPERTY, started.port());
        started.redirectServer().ifPresent(r -> ports.put("local.https-server.port-insecure", r.port()));
        PropertySource<?> existing = configurable.getPropertySources().get(PROPERTY_SOURCE);
        if (existing instanceof MapPropertySource map) {
            map.getSource().putAll(ports);
        } else {
            configurable.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, ports));
        }
    }
}
