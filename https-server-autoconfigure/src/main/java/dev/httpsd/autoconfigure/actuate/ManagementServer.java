package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * httpsd's management listener: a second, plain-HTTP httpsd server on {@code
 * management.server.port} (bound to {@code management.server.address}, loopback when unset)
 * serving every exposed Actuator web endpoint through Boot's web-endpoint model, so Actuator
 * works without a servlet or reactive stack. The bound port is published as {@code
 * local.management.port}.
 *
 * <p>It starts before the application's httpsd server and stops after it, so health probes stay
 * answerable, readiness answering {@code 503} {@code REFUSING_TRAFFIC}, while the main server
 * drains in Boot's graceful-shutdown phase and until it has stopped.
 */
public final class ManagementServer implements SmartLifecycle {

    /** The property the bound port is published as, Boot's name for the management port. */
    public static final String PORT_PROPERTY = "local.management.port";

    /**
     * One step below Boot's start/stop phase of web servers ({@link
     * WebServerApplicationContext#START_STOP_LIFECYCLE_PHASE}, the httpsd server's): started before
     * the server, stopped after it and so after its graceful drain, which runs in the higher {@link
     * WebServerApplicationContext#GRACEFUL_SHUTDOWN_PHASE}.
     */
    public static final int PHASE = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024;

    private static final Log LOG = LogFactory.getLog(ManagementServer.class);
    private static final String PORTS_SOURCE = "server.ports";
    private static final int MAX_SESSIONS = 64;
    /** Write operations take small JSON objects; anything larger is refused with 413. */
    private static final long MAX_BODY = 64 * 1024;

    private final InetAddress address;
    private final int port;
    private final ActuatorRoutes routes;
    private final ConfigurableEnvironment environment;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile HttpServer server;

    ManagementServer(InetAddress address, int port, ActuatorRoutes routes, ConfigurableEnvironment environment) {
        this.address = address;
        this.port = port;
        this.routes = routes;
        this.environment = environment;
    }

    @Override
    public void start() {
        lock.lock();
        try {
            if (server != null) {
                return;
            }
            List<UriHandler> handlers = routes.handlers(WebServerNamespace.MANAGEMENT);
            HttpServer started = bind(handlers);
            server = started;
            publishPort(started.port());
            LOG.info("Actuator on http://" + authority(started.port()) + " (httpsd management listener, "
                    + handlers.size() + " routes)");
        } finally {
            lock.unlock();
        }
    }

    private HttpServer bind(List<UriHandler> handlers) {
        HttpServerConfig config = HttpServerConfig.builder()
                .serverPort(port)
                .bindAddress(address)
                .maxOpenSockets(MAX_SESSIONS)
                .maxUriHandlers(Math.max(handlers.size(), 1))
                .maxContentLength(MAX_BODY)
                .uriMatcher(EndpointPathTemplate.matcher())
                .build();
        try {
            return HttpServer.start(config, http -> handlers.forEach(http::registerUriHandler));
        } catch (IOException e) {
            // a ListenException stays the cause: the port-in-use analysis finds management.server.port by its value
            throw new WebServerException("Unable to start httpsd's management listener: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        lock.lock();
        try {
            HttpServer running = server;
            server = null;
            if (running != null) {
                running.stop();
            }
        } finally {
            lock.unlock();
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

    /** The bound port (useful with port 0), or -1 when stopped. */
    public int port() {
        HttpServer running = server;
        return running == null ? -1 : running.port();
    }

    private void publishPort(int bound) {
        PropertySource<?> existing = environment.getPropertySources().get(PORTS_SOURCE);
        if (existing instanceof MapPropertySource map) {
            map.getSource().put(PORT_PROPERTY, bound);
        } else {
            HashMap<String, Object> ports = new HashMap<>();
            ports.put(PORT_PROPERTY, bound);
            environment.getPropertySources().addFirst(new MapPropertySource(PORTS_SOURCE, ports));
        }
    }

    private String authority(int bound) {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + bound;
    }
}
