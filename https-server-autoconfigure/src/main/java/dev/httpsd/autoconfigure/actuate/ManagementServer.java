package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.UriMatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A plain-HTTP httpsd server on a separate management port serving the Actuator endpoints the
 * application has ({@code /actuator/health}, {@code /actuator/info}, {@code /actuator/metrics},
 * {@code /actuator/metrics/{name}}) as JSON, so Actuator works without a servlet or reactive web
 * stack. Binds to loopback unless told otherwise.
 */
public final class ManagementServer implements SmartLifecycle {

    private static final Log LOG = LogFactory.getLog(ManagementServer.class);

    /** An endpoint: its path under /actuator and what it returns. */
    public record Endpoint(String path, Supplier<Object> result) {}

    /** Answers /actuator/metrics/{name}; returns null for an unknown meter. */
    public interface MetricLookup {
        Object metric(String name, List<String> tags);
    }

    private final int port;
    private final InetAddress address;
    private final List<Endpoint> endpoints;
    private final MetricLookup metrics;
    private volatile HttpServer server;

    public ManagementServer(int port, InetAddress address, List<Endpoint> endpoints, MetricLookup metrics) {
        this.port = port;
        this.address = address;
        this.endpoints = List.copyOf(endpoints);
        this.metrics = metrics;
    }

    @Override
    public void start() {
        try {
            server = HttpServer.start(
                    HttpServerConfig.builder()
                            .serverPort(port)
                            .bindAddress(address)
                            .maxOpenSockets(64)
                            .uriMatcher(UriMatcher.wildcard())
                            .build(),
                    this::register);
        } catch (BindException e) {
            // says which port is taken, so the port-in-use analysis names the right property
            BindException named = new BindException("management server " + e.getMessage());
            named.initCause(e);
            throw new UncheckedIOException(named.getMessage(), named);
        } catch (IOException e) {
            throw new UncheckedIOException("management server: " + e.getMessage(), e);
        }
        LOG.info("Actuator endpoints on http://" + address.getHostAddress() + ":" + server.port() + "/actuator");
    }

    private void register(HttpServer http) {
        http.registerUriHandler(UriHandler.of("/actuator", HttpMethod.GET, this::index));
        for (Endpoint endpoint : endpoints) {
            http.registerUriHandler(UriHandler.of(
                    "/actuator/" + endpoint.path(),
                    HttpMethod.GET,
                    (request, response) -> json(response, endpoint.result().get())));
        }
        if (metrics != null) {
            http.registerUriHandler(UriHandler.of("/actuator/metrics/*", HttpMethod.GET, this::metric));
        }
    }

    private void index(HttpRequest request, HttpResponse response) throws IOException {
        Map<String, Object> links = new LinkedHashMap<>();
        for (Endpoint endpoint : endpoints) {
            links.put(endpoint.path(), Map.of("href", "/actuator/" + endpoint.path()));
        }
        json(response, Map.of("_links", links));
    }

    private void metric(HttpRequest request, HttpResponse response) throws IOException {
        String name = request.path().substring("/actuator/metrics/".length());
        List<String> tags = new ArrayList<>();
        String query = request.rawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("tag=")) {
                    tags.add(java.net.URLDecoder.decode(pair.substring(4), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        Object result = metrics.metric(name, tags);
        if (result == null) {
            response.status(404).contentType("application/json").send("{\"error\":\"no such metric\"}");
            return;
        }
        json(response, result);
    }

    private static void json(HttpResponse response, Object result) throws IOException {
        response.contentType("application/json").send(JsonWriter.write(result));
    }

    @Override
    public void stop() {
        HttpServer running = server;
        server = null;
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The bound port (useful with port 0), or -1 when stopped. */
    public int port() {
        HttpServer running = server;
        return running == null ? -1 : running.port();
    }
}
