package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.HttpsServerProperties;
import dev.httpsd.server.Http2Config;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TransportMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * {@code /actuator/info} section {@code httpsd}: ports and mode, TLS protocols and suites,
 * client-auth mode, whether the development certificate is presented, the SSL bundles that hold
 * the server's certificates (Boot's {@code ssl} info describes them), the client CAs' subjects,
 * whether HTTP/2 is offered with the limits it announces, and the URI handlers. Off unless {@code management.info.httpsd.enabled=true}, like Boot's {@code
 * ssl}, {@code java} and {@code os} contributors.
 */
public final class HttpsServerInfoContributor implements InfoContributor {

    private final HttpsServerLifecycle lifecycle;
    private final HttpsServerProperties properties;
    private final SslBundles bundles;

    /** @param bundles Boot's SSL bundles, or {@code null} when there are none */
    public HttpsServerInfoContributor(
            HttpsServerLifecycle lifecycle, HttpsServerProperties properties, SslBundles bundles) {
        this.lifecycle = lifecycle;
        this.properties = properties;
        this.bundles = bundles;
    }

    @Override
    public void contribute(Info.Builder builder) {
        HttpsServer server = lifecycle.server();
        Map<String, Object> info = new LinkedHashMap<>();
        if (server == null) {
            info.put("state", "stopped");
            builder.withDetail("httpsd", info);
            return;
        }
        HttpsServerConfig config = server.config();
        info.put("state", "running");
        info.put("transportMode", config.transportMode().name());
        info.put("port", server.port());
        server.redirectServer().ifPresent(redirect -> info.put("redirectPort", redirect.port()));
        info.put("maxOpenSockets", config.httpd().maxOpenSockets());
        if (config.transportMode() == TransportMode.SECURE) {
            info.put("protocols", config.protocols());
            info.put("cipherSuites", config.cipherSuites());
            info.put("clientAuth", config.clientAuth().name());
            info.put("sessionTickets", config.sessionTickets());
            info.put("alpnProtocols", config.offeredApplicationProtocols());
            info.put("developmentCertificate", lifecycle.usesDevelopmentCertificate());
            info.put("sslBundles", sslBundles());
            info.put(
                    "clientCas",
                    server.caCertificates().stream()
                            .map(ca -> ca.getSubjectX500Principal().getName())
                            .toList());
        }
        info.put("http2", http2(config));
        List<Map<String, Object>> handlers = new ArrayList<>();
        for (UriHandler handler : server.httpServer().uriHandlers()) {
            Map<String, Object> description = new LinkedHashMap<>();
            description.put("uri", handler.uri());
            description.put("method", handler.method().token());
            description.put("webSocket", handler.isWebSocket());
            handlers.add(description);
        }
        info.put("uriHandlers", handlers);
        builder.withDetail("httpsd", info);
    }

    /**
     * Whether ALPN offers {@code h2} (enabled, on the TLS port) and the limits an HTTP/2 connection
     * announces in its SETTINGS.
     */
    private static Map<String, Object> http2(HttpsServerConfig config) {
        Http2Config http2 = config.httpd().http2();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put(
                "offered",
                http2.enabled()
                        && config.transportMode() == TransportMode.SECURE
                        && config.offeredApplicationProtocols().contains("h2"));
        info.put("maxConcurrentStreams", http2.maxConcurrentStreams());
        info.put("initialWindowSize", http2.initialWindowSize());
        info.put("maxFrameSize", http2.maxFrameSize());
        info.put("maxHeaderListSize", http2.maxHeaderListSize());
        return info;
    }

    /** The bundles whose certificates the server presents: configured ones, then httpsd's own. */
    private Set<String> sslBundles() {
        Set<String> names = new LinkedHashSet<>();
        HttpsServerProperties.Ssl ssl = properties.getSsl();
        if (StringUtils.hasText(ssl.getBundle())) {
            names.add(ssl.getBundle());
        }
        ssl.getServerNameBundles().forEach(entry -> names.add(entry.bundle()));
        if (bundles != null && bundles.getBundleNames().contains(HttpsServerLifecycle.SSL_BUNDLE)) {
            names.add(HttpsServerLifecycle.SSL_BUNDLE);
        }
        return names;
    }
}
