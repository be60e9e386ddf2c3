package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.HttpsServer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Starts the {@link HttpsdWebServer} once the context is refreshed and stops it at once in Spring
 * Boot's start/stop phase, after the graceful-shutdown phase drained it (unless {@code
 * server.shutdown=immediate}). On each start it publishes an {@link HttpsServerInitializedEvent},
 * from which Boot's port publisher sets {@code local.https-server.port}. When the context closes,
 * readiness becomes {@link ReadinessState#REFUSING_TRAFFIC} before anything stops, as Boot's own
 * web server contexts do.
 */
public final class HttpsServerLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

    /** Spring Boot's start/stop phase of web servers: after the graceful-shutdown phase on the way down. */
    public static final int PHASE = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE;

    /** The bound port, as Spring Boot publishes it for the server namespace {@code https-server}. */
    public static final String PORT_PROPERTY = "local.https-server.port";

    /** The port of the {@code redirect-insecure} listener, when there is one. */
    public static final String INSECURE_PORT_PROPERTY = "local.https-server.port-insecure";

    /**
     * The Spring Boot SSL bundle under which httpsd registers the certificates it presents that no
     * {@code spring.ssl} bundle holds (PEM properties, development certificate, customizers), so
     * that Boot's {@code ssl} health and info cover them.
     */
    public static final String SSL_BUNDLE = "https-server";

    private static final String PROPERTY_SOURCE = "https-server.ports";

    private final HttpsdWebServer webServer;
    private final ApplicationContext context;

    HttpsServerLifecycle(HttpsdWebServer webServer, ApplicationContext context) {
        this.webServer = webServer;
        this.context = context;
    }

    @Override
    public void start() {
        webServer.start();
        context.publishEvent(new HttpsServerInitializedEvent(webServer, context));
        publishPortsBootDidNot();
    }

    @Override
    public void stop() {
        webServer.stop();
    }

    @Override
    public boolean isRunning() {
        return webServer.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        // a servlet or reactive context of another web server publishes it itself
        if (event.getApplicationContext() == context
                && !(context instanceof WebServerApplicationContext)
                && webServer.isRunning()) {
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        }
    }

    /** The running server, or {@code null} when stopped. */
    public HttpsServer server() {
        return webServer.server();
    }

    /** The server as a Spring Boot {@link org.springframework.boot.web.server.WebServer}. */
    public HttpsdWebServer webServer() {
        return webServer;
    }

    /**
     * Whether the running server presents the development certificate ({@code
     * https-server.ssl.dev-certificate.enabled}) to new handshakes now.
     */
    public boolean usesDevelopmentCertificate() {
        return webServer.usesDevelopmentCertificate();
    }

    /**
     * What became of the reloads of the TLS material that SSL bundle updates asked for since the
     * application started; a failed one left the server presenting its previous certificate.
     */
    public CertificateReloadStatus certificateReloads() {
        return webServer.certificateReloads();
    }

    /**
     * The redirect listener's port, and the main port where no Boot port publisher listens (a
     * context built by hand rather than by {@code SpringApplication}).
     */
    private void publishPortsBootDidNot() {
        if (!(context.getEnvironment() instanceof ConfigurableEnvironment environment)) {
            return;
        }
        HttpsServer started = webServer.server();
        Map<String, Object> ports = new HashMap<>();
        if (!Objects.equals(environment.getProperty(PORT_PROPERTY, Integer.class), started.port())) {
            ports.put(PORT_PROPERTY, started.port());
        }
        started.redirectServer().ifPresent(redirect -> ports.put(INSECURE_PORT_PROPERTY, redirect.port()));
        if (ports.isEmpty()) {
            return;
        }
        PropertySource<?> existing = environment.getPropertySources().get(PROPERTY_SOURCE);
        if (existing instanceof MapPropertySource map) {
            map.getSource().putAll(ports);
        } else {
            environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, ports));
        }
    }
}
