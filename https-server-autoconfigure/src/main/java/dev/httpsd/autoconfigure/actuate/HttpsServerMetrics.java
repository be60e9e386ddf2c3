package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.autoconfigure.CertificateReloadStatus;
import dev.httpsd.autoconfigure.HttpsServerCustomizer;
import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.Http2Statistics;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.RequestObserver;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.ServerEventListener;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.HttpsServerEvent;
import dev.httpsd.server.tls.TlsSession;
import dev.httpsd.server.tls.TransportMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for the server's connections and TLS, named after Micrometer's binders for
 * other servers ({@code jetty.connections.*}, {@code jetty.ssl.handshakes}) under {@code
 * httpsd.}: connections (gauge and counters read from the server's statistics), LRU purges, body
 * bytes, TLS handshakes (succeeded, failed by reason, duration, protocol and cipher suite),
 * connections refused for their PROXY protocol header (by reason), events published, and with
 * HTTP/2 on its streams (opened, current), RST_STREAM frames (sent, received) and GOAWAY frames
 * sent, by error code. Every meter is tagged with the server's {@code port} and {@code transport}.
 * Requests are measured by the {@code http.server.requests} observation, not here.
 *
 * <p>The meters belong to the running server: they are registered when it binds and removed from
 * the registry when it stops. A server started again (same port or not) gets fresh meters;
 * otherwise Micrometer would hand back the old gauges, still reading the stopped server.
 *
 * <p>Events are counted without allocating: the counter of each event id is resolved once, by
 * the first event of that id, and read from an array afterwards.
 */
public final class HttpsServerMetrics implements HttpsServerCustomizer, ServerEventListener, RequestObserver {

    private static final int HTTP_IDS = HttpServerEvent.Id.values().length;
    private static final int EVENT_IDS = HTTP_IDS + HttpsServerEvent.Id.values().length;

    private final MeterRegistry registry;
    private final String transport;
    private final Supplier<CertificateReloadStatus> certificateReloads;
    private volatile ServerMeters current;

    /** @param transportMode the server's transport mode, for the {@code transport} tag */
    public HttpsServerMetrics(MeterRegistry registry, TransportMode transportMode) {
        this(registry, transportMode, null);
    }

    /**
     * @param transportMode the server's transport mode, for the {@code transport} tag
     * @param certificateReloads the reloads SSL bundle updates asked for, counted as {@code
     *     httpsd.ssl.reloads} in SECURE mode; null for no such meter
     */
    public HttpsServerMetrics(
            MeterRegistry registry, TransportMode transportMode, Supplier<CertificateReloadStatus> certificateReloads) {
        this.registry = registry;
        this.transport = transportMode.name().toLowerCase(Locale.ROOT);
        this.certificateReloads = transportMode == TransportMode.SECURE ? certificateReloads : null;
    }

    @Override
    public void customize(HttpsServerConfig.Builder config) {
        config.httpd(httpd -> httpd.eventListener(this).addRequestObserver(this));
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
            meters.bytesReceived.increment(request.bodyBytesReceived());
            meters.bytesSent.increment(request.bodyBytesSent());
            meters.http2Codes();
        }
    }

    @Override
    public void onEvent(ServerEvent event) {
        ServerMeters meters = current;
        if (meters == null) {
            return;
        }
        meters.published(event);
        switch (event) {
            case HttpsServerEvent.OnConnected connected -> meters.handshakeCompleted(connected.sessionId());
            case HttpsServerEvent.Error error -> meters.tlsError(error);
            case HttpServerEvent.ProxyRefused refused ->
                meters.count(
                        "httpsd.proxy.refused",
                        "Connections refused for their PROXY protocol header",
                        "reason",
                        refused.reason().name().toLowerCase(Locale.ROOT));
            case HttpServerEvent.Disconnected disconnected -> meters.http2Codes();
            // the HTTP STOP is the stopped server's last word about its sessions; the HTTPS STOP
            // that follows it finds no meters and is not counted
            case HttpServerEvent.Stop stop -> {
                if (meters.belongsTo(stop)) {
                    current = null;
                    meters.remove();
                }
            }
            default -> {}
        }
    }

    /** The meters of one running server, all tagged with its port; removed together. */
    private final class ServerMeters {

        private final HttpServer server;
        private final Tags tags;
        /** {@code httpsd.events.published} by event slot (HTTP ids, then HTTPS ids). */
        private final Counter[] published = new Counter[EVENT_IDS];

        private final Map<String, Counter> counters = new ConcurrentHashMap<>();
        private final List<Meter> registered = new ArrayList<>();
        private boolean removed;
        private final Counter bytesReceived;
        private final Counter bytesSent;
        private final Timer handshakeDuration;
        /** HTTP/2's counters, or null with HTTP/2 off. */
        private final Http2Statistics http2;
        /** Which {@code httpsd.http2.*} counters by error code are registered, one bit per code and kind. */
        private final boolean[] http2Registered = new boolean[3 * Http2Statistics.ERROR_CODES.size()];

        ServerMeters(HttpServer server) {
            this.server = server;
            this.tags = Tags.of("port", Integer.toString(server.port()), "transport", transport);
            register(() -> Gauge.builder(
                            "httpsd.connections.current",
                            server,
                            s -> s.statistics().openSessions())
                    .description("Connections (sessions) open now")
                    .tags(tags)
                    .register(registry));
            register(() -> Gauge.builder(
                            "httpsd.connections.config.max",
                            server,
                            s -> s.config().maxOpenSockets())
                    .description("Connections the server holds at most (max-open-sockets)")
                    .tags(tags)
                    .register(registry));
            register(() -> FunctionCounter.builder(
                            "httpsd.connections.opened",
                            server,
                            s -> s.statistics().sessionsOpened())
                    .description("Connections accepted")
                    .tags(tags)
                    .register(registry));
            register(() -> FunctionCounter.builder(
                            "httpsd.connections.closed",
                            server,
                            s -> s.statistics().sessionsClosed())
                    .description("Connections closed")
                    .tags(tags)
                    .register(registry));
            register(() -> FunctionCounter.builder(
                            "httpsd.connections.lru.purges",
                            server,
                            s -> s.statistics().lruPurges())
                    .description("Idle connections closed by LRU purge to admit a new client")
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
            handshakeDuration = register(() -> Timer.builder("httpsd.ssl.handshake.duration")
                    .description("Duration of completed TLS handshakes")
                    .tags(tags)
                    .register(registry));
            http2 = server.config().http2().enabled() ? server.http2Statistics() : null;
            if (http2 != null) {
                register(() -> FunctionCounter.builder(
                                "httpsd.http2.streams.opened", http2, Http2Statistics::streamsOpened)
                        .description("HTTP/2 request streams opened")
                        .tags(tags)
                        .register(registry));
                register(() -> Gauge.builder("httpsd.http2.streams.current", http2, Http2Statistics::streamsCurrent)
                        .description("HTTP/2 request streams being served now")
                        .tags(tags)
                        .register(registry));
            }
            if (certificateReloads != null) {
                // counted from zero for this server, as every other meter of it
                CertificateReloadStatus before = certificateReloads.get();
                register(() -> FunctionCounter.builder(
                                "httpsd.ssl.reloads",
                                certificateReloads,
                                s -> s.get().succeeded() - before.succeeded())
                        .description("Reloads of the TLS material asked for by SSL bundle updates")
                        .tags(tags.and("result", "success"))
                        .register(registry));
                register(() -> FunctionCounter.builder(
                                "httpsd.ssl.reloads",
                                certificateReloads,
                                s -> s.get().failed() - before.failed())
                        .description("Reloads of the TLS material asked for by SSL bundle updates")
                        .tags(tags.and("result", "failure"))
                        .register(registry));
            }
        }

        /**
         * Registers the {@code httpsd.http2.resets.*} and {@code httpsd.http2.goaways.sent} counter
         * of each error code once it has been counted: 14 codes times three would be mostly zeros.
         * Checked after each request and each closed connection; a counter registered late still
         * reports every frame since the start.
         */
        void http2Codes() {
            if (http2 == null) {
                return;
            }
            List<String> codes = Http2Statistics.ERROR_CODES;
            for (int i = 0; i < codes.size(); i++) {
                String code = codes.get(i);
                http2Code(i, "httpsd.http2.resets.sent", "RST_STREAM frames sent", code, http2.resetsSent(code));
                http2Code(
                        codes.size() + i,
                        "httpsd.http2.resets.received",
                        "RST_STREAM frames received on streams being served",
                        code,
                        http2.resetsReceived(code));
                http2Code(
                        2 * codes.size() + i,
                        "httpsd.http2.goaways.sent",
                        "GOAWAY frames sent",
                        code,
                        http2.goAwaysSent(code));
            }
        }

        private void http2Code(int slot, String name, String description, String code, long count) {
            if (count == 0 || http2Registered[slot]) {
                return;
            }
            String kind = name;
            ToLongFunction<Http2Statistics> read = switch (kind) {
                case "httpsd.http2.resets.sent" -> s -> s.resetsSent(code);
                case "httpsd.http2.resets.received" -> s -> s.resetsReceived(code);
                default -> s -> s.goAwaysSent(code);
            };
            // a race registers the same meter twice: Micrometer hands back the one it has
            if (register(() -> FunctionCounter.builder(name, http2, s -> read.applyAsLong(s))
                            .description(description)
                            .tags(tags)
                            .tags("code", code)
                            .register(registry))
                    != null) {
                http2Registered[slot] = true;
            }
        }

        boolean belongsTo(HttpServerEvent.Stop stop) {
            return stop.localAddress().getPort() == server.port();
        }

        void published(ServerEvent event) {
            int slot = switch (event) {
                case HttpServerEvent http -> http.id().ordinal();
                case HttpsServerEvent https -> HTTP_IDS + https.id().ordinal();
                default -> -1;
            };
            if (slot < 0) {
                return;
            }
            Counter counter = published[slot];
            if (counter == null) {
                // a race registers the same meter twice: Micrometer hands back the one it has
                String family = event instanceof HttpsServerEvent ? "https" : "http";
                counter = register(() -> Counter.builder("httpsd.events.published")
                        .description("Server events posted")
                        .tags(tags)
                        .tags("family", family, "event", event.name())
                        .register(registry));
                if (counter == null) {
                    return;
                }
                published[slot] = counter;
            }
            counter.increment();
        }

        void handshakeCompleted(int sessionId) {
            TlsSession tls = server.session(sessionId).flatMap(TlsSession::of).orElse(null);
            if (tls == null) {
                return;
            }
            handshake("succeeded", "none", tls.protocol(), tls.cipherSuite());
            handshakeDuration.record(tls.handshakeDuration());
        }

        void tlsError(HttpsServerEvent.Error error) {
            boolean established =
                    server.session(error.sessionId()).flatMap(TlsSession::of).isPresent();
            String reason = error.error().alert() != null
                    ? error.error().alert()
                    : error.error().exceptionType();
            if (established) {
                count("httpsd.ssl.errors", "TLS failures on established sessions", "reason", reason);
            } else {
                handshake("failed", reason, "unknown", "unknown");
            }
        }

        private void handshake(String result, String reason, String protocol, String cipherSuite) {
            count(
                    "httpsd.ssl.handshakes",
                    "TLS handshakes by result",
                    "result",
                    result,
                    "reason",
                    reason,
                    "protocol",
                    protocol,
                    "ciphersuite",
                    cipherSuite);
        }

        /** A counter by tags: once per handshake or TLS failure, never per request or record. */
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
