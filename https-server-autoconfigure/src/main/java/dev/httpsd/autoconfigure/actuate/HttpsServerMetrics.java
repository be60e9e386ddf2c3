package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.autoconfigure.CertificateReloadStatus;
import dev.httpsd.autoconfigure.HttpsServerCustomizer;
import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.RequestObserver;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.ServerEventListener;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.HttpsServerEvent;
import dev.httpsd.server.tls.TlsSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Micrometer meters for the server, fed by the same points as the ESP events: sessions (gauges and
 * counters read from the server's statistics), requests by status class with their latency, body
 * bytes, TLS handshakes (completed, failed by reason, duration, protocol and cipher) and events
 * published. Every meter is tagged with the server's {@code port} and {@code transport}.
 *
 * <p>The meters belong to the running server: they are registered when it binds and removed from
 * the registry when it stops. A server started again (same port or not) gets fresh meters;
 * otherwise Micrometer would hand back the old gauges, still reading the stopped server.
 */
public final class HttpsServerMetrics implements HttpsServerCustomizer, ServerEventListener, RequestObserver {

    private final MeterRegistry registry;
    private final String transport;
    private final Supplier<CertificateReloadStatus> certificateReloads;
    private volatile ServerMeters current;

    /** @param transportMode the server's transport mode, for the {@code transport} tag */
    public HttpsServerMetrics(MeterRegistry registry, dev.httpsd.server.tls.TransportMode transportMode) {
        this(registry, transportMode, null);
    }

    /**
     * @param transportMode the server's transport mode, for the {@code transport} tag
     * @param certificateReloads the reloads SSL bundle updates asked for, counted as {@code
     *     httpsd.tls.reloads} in SECURE mode; null for no such meter
     */
    public HttpsServerMetrics(
            MeterRegistry registry,
            dev.httpsd.server.tls.TransportMode transportMode,
            Supplier<CertificateReloadStatus> certificateReloads) {
        this.registry = registry;
        this.transport = transportMode.name().toLowerCase(java.util.Locale.ROOT);
        this.certificateReloads =
                transportMode == dev.httpsd.server.tls.TransportMode.SECURE ? certificateReloads : null;
    }

    @Override
    public void customize(HttpsServerConfig.Builder config) {
        config.httpd(httpd -> httpd.eventListener(this).requestObserver(this));
    }

    @Override
    public void configure(HttpServer server) {
        ServerMeters previous = current;
        if (previous != null) {
            // its STOP never reached us (e.g. the server failed before posting it)
            previous.remove();
        }
        current = new ServerMeters(server);
    }

    @Override
    public void requestCompleted(CompletedRequest request) {
        ServerMeters meters = current;
        if (meters != null) {
            meters.requestCompleted(request);
        }
    }

    @Override
    public void onEvent(ServerEvent event) {
        ServerMeters meters = current;
        if (meters == null) {
            return;
        }
        String family = event instanceof HttpsServerEvent ? "https" : "http";
        meters.count("httpsd.events.published", "Server events posted", "family", family, "event", event.name());
        switch (event) {
            case HttpsServerEvent.OnConnected connected -> meters.handshakeCompleted(connected.sessionId());
            case HttpsServerEvent.Error error -> meters.tlsError(error);
            // the HTTP STOP is the stopped server's last word about its sessions; the HTTPS STOP
            // that follows it finds no meters and is not counted
            case HttpServerEvent.Stop stop
            when meters.belongsTo(stop) -> {
                current = null;
                meters.remove();
            }
            default -> {}
        }
    }

    /** The meters of one running server, all tagged with its port; removed together. */
    private final class ServerMeters {

        private final HttpServer server;
        private final Tags tags;
        private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
        private final Map<String, Counter> counters = new ConcurrentHashMap<>();
        private final List<Meter> registered = new ArrayList<>();
        private boolean removed;
        private final Counter bytesReceived;
        private final Counter bytesSent;
        private final Timer handshakeDuration;

        ServerMeters(HttpServer server) {
            this.server = server;
            this.tags = Tags.of("port", Integer.toString(server.port()), "transport", transport);
            register(() -> Gauge.builder(
                            "httpsd.sessions.open", server, s -> s.statistics().openSessions())
                    .description("Sessions open now")
                    .tags(tags)
                    .register(registry));
            register(() -> FunctionCounter.builder(
                            "httpsd.sessions.opened",
                            server,
                            s -> s.statistics().sessionsOpened())
                    .description("Sessions accepted")
                    .tags(tags)
                    .register(registry));
            register(() -> FunctionCounter.builder(
                            "httpsd.sessions.closed",
                            server,
                            s -> s.statistics().sessionsClosed())
                    .description("Sessions closed")
                    .tags(tags)
                    .register(registry));
            register(() -> FunctionCounter.builder(
                            "httpsd.sessions.lru.purges",
                            server,
                            s -> s.statistics().lruPurges())
                    .description("Idle sessions closed by LRU purge to admit a new client")
                    .tags(tags)
                    .register(registry));
            bytesReceived = register(() -> Counter.builder("httpsd.bytes.received")
                    .baseUnit("bytes")
                    .description("Request body bytes received")
                    .tags(tags)
                    .register(registry));
            bytesSent = register(() -> Counter.builder("httpsd.bytes.sent")
                    .baseUnit("bytes")
                    .description("Response body bytes sent")
                    .tags(tags)
                    .register(registry));
            handshakeDuration = register(() -> Timer.builder("httpsd.tls.handshake.duration")
                    .description("Duration of completed TLS handshakes")
                    .tags(tags)
                    .register(registry));
            if (certificateReloads != null) {
                // counted from zero for this server, as every other meter of it
                CertificateReloadStatus before = certificateReloads.get();
                register(() -> FunctionCounter.builder(
                                "httpsd.tls.reloads",
                                certificateReloads,
                                s -> s.get().succeeded() - before.succeeded())
                        .description("Reloads of the TLS material asked for by SSL bundle updates")
                        .tags(tags.and("result", "success"))
                        .register(registry));
                register(() -> FunctionCounter.builder(
                                "httpsd.tls.reloads",
                                certificateReloads,
                                s -> s.get().failed() - before.failed())
                        .description("Reloads of the TLS material asked for by SSL bundle updates")
                        .tags(tags.and("result", "failure"))
                        .register(registry));
            }
        }

        boolean belongsTo(HttpServerEvent.Stop stop) {
            return stop.localAddress().getPort() == server.port();
        }

        void requestCompleted(CompletedRequest request) {
            String method =
                    request.method() == null ? "UNKNOWN" : request.method().token();
            String status = (request.status() / 100) + "xx";
            Timer timer = requestTimers.computeIfAbsent(
                    method + ' ' + status,
                    key -> register(() -> Timer.builder("httpsd.requests")
                            .description("Completed requests by method and status class")
                            .tags(tags)
                            .tag("method", method)
                            .tag("status", status)
                            .register(registry)));
            if (timer != null) {
                timer.record(request.durationNanos(), TimeUnit.NANOSECONDS);
            }
            bytesReceived.increment(request.bodyBytesReceived());
            bytesSent.increment(request.bodyBytesSent());
        }

        void handshakeCompleted(int sessionId) {
            TlsSession tls = server.session(sessionId).flatMap(TlsSession::of).orElse(null);
            if (tls == null) {
                return;
            }
            count(
                    "httpsd.tls.handshakes",
                    "TLS handshakes by result",
                    "result",
                    "success",
                    "reason",
                    "none",
                    "protocol",
                    tls.protocol(),
                    "cipher",
                    tls.cipherSuite());
            handshakeDuration.record(tls.handshakeDuration());
        }

        void tlsError(HttpsServerEvent.Error error) {
            boolean established =
                    server.session(error.sessionId()).flatMap(TlsSession::of).isPresent();
            String reason = error.error().alert() != null
                    ? error.error().alert()
                    : error.error().exceptionType();
            if (established) {
                count("httpsd.tls.errors", "TLS failures on established sessions", "reason", reason);
            } else {
                count(
                        "httpsd.tls.handshakes",
                        "TLS handshakes by result",
                        "result",
                        "failure",
                        "reason",
                        reason,
                        "protocol",
                        "none",
                        "cipher",
                        "none");
            }
        }

        void count(String name, String description, String... tagPairs) {
            Counter counter = counters.computeIfAbsent(
                    name + String.join(",", tagPairs),
                    key -> register(() -> Counter.builder(name)
                            .description(description)
                            .tags(tags)
                            .tags(tagPairs)
                            .register(registry)));
            if (counter != null) {
                counter.increment();
            }
        }

        /**
         * Registers a meter unless this server's meters were removed: a session finishing while
         * the server stops must not bring a meter of the stopped server back. Only the first use
         * of each meter gets here, so the lock stays off the request path.
         */
        private synchronized <M extends Meter> M register(Supplier<M> meter) {
            if (removed) {
                return null;
            }
            M registeredMeter = meter.get();
            registered.add(registeredMeter);
            return registeredMeter;
        }

        synchronized void remove() {
            removed = true;
            registered.forEach(registry::remove);
            registered.clear();
        }
    }
}
