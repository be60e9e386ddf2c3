package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TransportMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * {@code /actuator/info} section {@code httpsServer}: ports and mode, TLS protocols and suites,
 * client-auth mode, certificate chains (subject, issuer, validity, SANs) and URI handlers.
 */
public final class HttpsServerInfoContributor implements InfoContributor {

    private final HttpsServerLifecycle lifecycle;
    private final Duration warningThreshold;

    public HttpsServerInfoContributor(HttpsServerLifecycle lifecycle, Duration warningThreshold) {
        this.lifecycle = lifecycle;
        this.warningThreshold = warningThreshold;
    }

    @Override
    public void contribute(Info.Builder builder) {
        HttpsServer server = lifecycle.server();
        Map<String, Object> info = new LinkedHashMap<>();
        if (server == null) {
            info.put("state", "stopped");
            builder.withDetail("httpsServer", info);
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
            info.put("alpnProtocols", config.alpnProtocols());
            Instant now = Instant.now();
            List<Map<String, Object>> chains = new ArrayList<>();
            for (CertificateChains.Chain chain : CertificateChains.of(server)) {
                chains.add(CertificateChains.describe(chain, now, warningThreshold));
            }
            info.put("certificateChains", chains);
            List<Map<String, Object>> clientCas = new ArrayList<>();
            server.caCertificates().forEach(ca -> clientCas.add(CertificateChains.describe(ca, now, warningThreshold)));
            info.put("clientCaCertificates", clientCas);
        }
        List<Map<String, Object>> handlers = new ArrayList<>();
        for (UriHandler handler : server.httpServer().uriHandlers()) {
            Map<String, Object> description = new LinkedHashMap<>();
            description.put("uri", handler.uri());
            description.put("method", handler.method().token());
            description.put("webSocket", handler.isWebSocket());
            handlers.add(description);
        }
        info.put("uriHandlers", handlers);
        builder.withDetail("httpsServer", info);
    }
}
