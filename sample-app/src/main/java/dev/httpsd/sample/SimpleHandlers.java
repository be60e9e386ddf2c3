package dev.httpsd.sample;

import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.proxy.EffectiveOrigin;
import dev.httpsd.server.tls.TlsSession;
import java.io.IOException;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The greeting endpoints of ESP's https_server/simple and http_server/simple examples. */
@Component
class SimpleHandlers {

    private final JsonMapper json;

    SimpleHandlers(JsonMapper json) {
        this.json = json;
    }

    /**
     * ESP's HTTPS example root page. The page loads nothing and is never meant to be framed: it
     * says so to browsers, as a TLS scan of the sample expects of an HTML page.
     */
    @UriMapping(uri = "/")
    void root(HttpResponse response) throws IOException {
        response.header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                .send("<h1>Hello Secure World!</h1>");
    }

    /**
     * A plain-text greeting: the {@code name} query value, the {@code X-Greeting} request header
     * (default "Hello"), and a custom response header, as in ESP's simple example.
     */
    @UriMapping(uri = "/hello")
    void hello(HttpRequest request, HttpResponse response) throws IOException {
        String name = request.decodedQueryValue("name").orElse("World");
        String greeting = request.header("X-Greeting").orElse("Hello");
        response.contentType("text/plain; charset=utf-8")
                .header("Custom-Header-1", "Custom-Value-1")
                .send(greeting + ", " + name + "!\n");
    }

    /**
     * Who the server thinks the caller is: session, the remote address (the client a PROXY header
     * named, with the balancer in {@code proxiedFrom}, when {@code https-server.proxy-protocol} is
     * on) and the client behind it (the same unless a trusted proxy's forwarded headers name
     * another, with {@code server.forward-headers-strategy=native}), the URL the client used, and
     * TLS parameters.
     */
    @UriMapping(uri = "/whoami")
    void whoami(HttpRequest request, HttpResponse response) throws IOException {
        EffectiveOrigin origin = request.origin();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("sessionId", request.session().id());
        // HTTP/1.1, or HTTP/2.0 when the client chose h2 in ALPN (https-server.http2.enabled)
        fields.put("httpProtocol", request.protocol());
        fields.put("remoteAddress", request.session().remoteAddress().toString());
        fields.put(
                "proxiedFrom",
                request.session().proxiedFrom().map(Object::toString).orElse(null));
        fields.put("clientAddress", origin.client().getAddress().getHostAddress());
        fields.put("clientPort", origin.client().getPort());
        fields.put(
                "proxies",
                origin.proxies().stream().map(InetAddress::getHostAddress).toList());
        fields.put("scheme", origin.scheme());
        fields.put("host", origin.host());
        fields.put("port", origin.port());
        TlsSession tls = TlsSession.of(request.session()).orElse(null);
        fields.put("protocol", tls == null ? null : tls.protocol());
        fields.put("cipherSuite", tls == null ? null : tls.cipherSuite());
        fields.put("sni", tls == null ? null : tls.serverName().orElse(null));
        fields.put("alpn", tls == null ? null : tls.applicationProtocol().orElse(null));
        fields.put(
                "clientCertificate",
                tls == null || tls.peerCertificates().isEmpty()
                        ? null
                        : tls.peerCertificates()
                                .get(0)
                                .getSubjectX500Principal()
                                .getName());
        response.contentType("application/json").send(json.writeValueAsBytes(fields));
    }
}
