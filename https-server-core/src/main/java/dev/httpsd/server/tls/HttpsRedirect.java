package dev.httpsd.server.tls;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.proxy.EffectiveOrigin;
import java.io.IOException;

/**
 * Answers every plain-HTTP request with a permanent redirect to the same URI over HTTPS, at the
 * host the client asked for ({@link HttpRequest#origin()}: behind a trusted proxy, the host it
 * reports).
 *
 * <p>Directly reached, the redirect goes to this server's secure port. Behind a proxy whose
 * forwarded headers are read, the client never saw that port, so the redirect goes to HTTPS's
 * default port 443 at the forwarded host. When the proxy reports that the client already used
 * HTTPS, a redirect would send the client back the way it came, forever: that is answered {@code
 * 421 Misdirected Request} instead, saying the proxy should reach the secure port.
 *
 * <p>{@link #start} runs it as a listener of its own, SECURE mode's {@code redirectInsecure}.
 */
final class HttpsRedirect implements RequestHandler {

    private final int securePort;

    HttpsRedirect(int securePort) {
        this.securePort = securePort;
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        EffectiveOrigin origin = request.origin();
        if (origin.secure()) {
            response.status(421)
                    .contentType("text/plain")
                    .send("This port only redirects plain HTTP to HTTPS, and the proxy reports that the client"
                            + " already uses HTTPS: forward these requests to the HTTPS port\n");
            return;
        }
        // an empty Host is valid (RFC 9112 §3.2) but names no host to send the client to
        String host = origin.host();
        if (host == null || host.isEmpty()) {
            host = request.session().localAddress().getAddress().getHostAddress();
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = origin.forwarded() ? EffectiveOrigin.defaultPort("https") : securePort;
        // an absolute-form request (http://host/path?query) carries its path and query apart
        String target = request.uri().startsWith("/")
                ? request.uri()
                : request.path() + (request.rawQuery() == null ? "" : "?" + request.rawQuery());
        String location = "https://" + host + (port == 443 ? "" : ":" + port) + target;
        response.status(308)
                .contentType("text/plain")
                .header("Location", location)
                .send("Use " + location + "\n");
    }

    /**
     * The plain-HTTP listener that redirects to the secure port. Its configuration is built from the
     * HTTPS server's network and limit settings only (the proxies in front of it included), field
     * by field: no hook, context, listener or
     * observer of the secure server reaches it, whatever fields the configuration gains later.
     */
    static HttpServer start(HttpsServerConfig config, int securePort) throws IOException {
        HttpServerConfig secure = config.httpd();
        HttpServer redirect = HttpServer.start(HttpServerConfig.builder()
                .serverPort(config.portInsecure())
                .scheme("http")
                .bindAddress(secure.bindAddress())
                .maxOpenSockets(secure.maxOpenSockets())
                .backlogConn(secure.backlogConn())
                .lruPurgeEnable(secure.lruPurgeEnable())
                .recvWaitTimeout(secure.recvWaitTimeout())
                .sendWaitTimeout(secure.sendWaitTimeout())
                .maxReqHdrLen(secure.maxReqHdrLen())
                .maxUriLen(secure.maxUriLen())
                .maxHeaderCount(secure.maxHeaderCount())
                .maxContentLength(secure.maxContentLength())
                .maxDrainLength(secure.maxDrainLength())
                .enableSoLinger(secure.enableSoLinger())
                .lingerTimeout(secure.lingerTimeout())
                .keepAliveEnable(secure.keepAliveEnable())
                .keepAliveIdle(secure.keepAliveIdle())
                .keepAliveInterval(secure.keepAliveInterval())
                .keepAliveCount(secure.keepAliveCount())
                .tcpNoDelay(secure.tcpNoDelay())
                .idleTimeout(secure.idleTimeout())
                .headerReadTimeout(secure.headerReadTimeout())
                .espIdfCompatible(secure.espIdfCompatible())
                // who stands in front of the port is a network setting: a redirect behind a
                // trusted proxy goes to the host it reports, and a balancer's PROXY header opens
                // this listener's connections as it does the secure one's
                .forwardedHeaders(secure.forwardedHeaders())
                .proxyProtocol(secure.proxyProtocol())
                .uriMatcher((template, path) -> true)
                .build());
        redirect.registerUriHandler(UriHandler.of("/*", HttpMethod.ANY, new HttpsRedirect(securePort)));
        return redirect;
    }
}
