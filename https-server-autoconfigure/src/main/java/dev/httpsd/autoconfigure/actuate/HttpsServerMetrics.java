package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.autoconfigure.HttpsServerCustomizer;
import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.RequestObserver;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.ServerEventListener;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.HttpsServerEvent;
import dev.httpsd.server.tls.TlsSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for the server, fed by the same points as the ESP events: sessions (gauges and
 * counters read from the server's statistics), requests by status class with their latency, body
 * bytes, TLS handshakes (completed, failed by reason, duration, protocol and cipher) and events
 * published. Every meter is tagged with the server's {@code port} and {@code transport}.
 */
public final class HttpsServerMetrics implements HttpsServerCustomizer, ServerEventListener, RequestObserver {

    private final MeterRegistry registry;
    private final String transport;
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile Tags tags = Tags.empty();
    private volatile HttpServer server;
    private volatile Counter bytesReceived;
    private volatile Counter bytesSent;
    private volatile Timer handshakeDuration;

    /** @param transportMode the server's transport mode, for the {@code transport} tag */
    public HttpsServerMetrics(MeterRegistry registry, dev.httpsd.server.tls.TransportMode transportMode) {
        this.registry = registry;
        this.transport = transportMode.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void customize(HttpsServerConfig.Builder config) {
        config.httpd(httpd -> httpd.eventListener(this).requestObserver(this));
    }

    @Override
    public void configure(HttpServer server) {
        this.server = server;
        Tags common = Tags.of("port", Integer.toString(server.port()), "transport", transport);
        this.tags = common;
        Gauge.builder("httpsd.sessions.open", server, s -> s.statistics().openSessions())
                .description("Sessions open now")
                .tags(common)
                .register(registry);
        FunctionCounter.builder(
                        "httpsd.sessions.opened", server, s -> s.statistics().sessionsOpened())
                .description("Sessions accepted")
                .tags(common)
                .register(registry);
        FunctionCounter.builder(
                        "httpsd.sessions.closed", server, s -> s.statistics().sessionsClosed())
                .description("Sessions closed")
                .tags(common)
                .register(registry);
        FunctionCounter.builder(
                        "httpsd.sessions.lru.purges",
                        server,
                        s -> s.statistics().lruPurges())
                .description("Idle sessions closed by LRU purge to admit a new client")
                .tags(common)
                .register(registry);
        bytesReceived = Counter.builder("httpsd.bytes.received")
                .baseUnit("bytes")
                .description("Request body bytes received")
                .tags(common)
                .register(registry);
        bytesSent = Counter.builder("httpsd.bytes.sent")
                .baseUnit("bytes")
                .description("Response body bytes sent")
                .tags(common)
                .register(registry);
        handshakeDuration = Timer.builder("httpsd.tls.handshake.duration")
                .description("Duration of completed TLS handshakes")
                .tags(common)
                .register(registry);
    }

    @Override
    public void requestCompleted(CompletedRequest request) {
        String method = request.method() == null ? "UNKNOWN" : request.method().token();
        String status = (request.status() / 100) + "xx";
        requestTimers
                .computeIfAbsent(
                        method + ' ' + status,
                        key -> Timer.builder("httpsd.requests")
                                .description("Completed requests by method and status class")
                                .tags(tags)
                                .tag("method", method)
                                .tag("status", status)
                                .register(registry))
                .record(request.durationNanos(), TimeUnit.NANOSECONDS);
        Counter received = bytesReceived;
        if (received != null) {
            received.increment(request.bodyBytesReceived());
            bytesSent.increment(request.bodyBytesSent());
        }
    }

    @Override
    public void onEvent(ServerEvent event) {
        String family = event instanceof HttpsServerEvent ? "https" : "http";
        count("httpsd.events.published", "Server events posted", "family", family, "event", event.name());
        if (event instanceof HttpsServerEvent.OnConnected connected) {
            handshakeCompleted(connected.sessionId());
        } else if (event instanceof HttpsServerEvent.Error error) {
            tlsError(error);
        }
    }

    private void handshakeCompleted(int sessionId) {
        HttpServer current = server;
        TlsSession tls = current == null
                ? null
                : current.session(sessionId).flatMap(TlsSession::of).orElse(null);
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
        Timer duration = handshakeDuration;
        if (duration != null) {
            duration.record(tls.handshakeDuration());
        }
    }

    private void tlsError(HttpsServerEvent.Error error) {
        HttpServer current = server;
        boolean established = current != null
                && current.session(error.sessionId()).flatMap(TlsSession::of).isPresent();
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

    private void count(String name, String description, String... tagPairs) {
        String key = name + String.join(",", tagPairs);
        counters.computeIfAbsent(
                        key,
                        k -> Counter.builder(name)
                                .description(description)
                                .tags(tags)
                                .tags(tagPairs)
                                .register(registry))
                .increment();
    }
}
