package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.tls.TlsSession;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;

/**
 * CORS for every handler ({@code https-server.cors.*}): answers preflight requests itself, adds
 * the {@code Access-Control-*} headers to allowed cross-origin requests, and refuses the others
 * with {@code 403}, as Spring's {@code DefaultCorsProcessor} does. Same-origin requests and
 * requests without {@code Origin} pass untouched.
 */
final class CorsInterceptor implements RequestInterceptor, Ordered {

    private static final Log LOG = LogFactory.getLog(CorsInterceptor.class);

    private final CorsPolicy policy;

    CorsInterceptor(CorsPolicy policy) {
        this.policy = policy;
    }

    CorsPolicy policy() {
        return policy;
    }

    @Override
    public boolean appliesTo(MappedHandler handler) {
        return policy.enabled();
    }

    @Override
    public boolean before(HttpRequest request, HttpResponse response, HandlerInvocation invocation) throws IOException {
        String origin = request.header("Origin").orElse(null);
        if (origin == null || sameOrigin(request, origin)) {
            return true;
        }
        String requestedMethod = request.header("Access-Control-Request-Method").orElse(null);
        boolean preflight = request.method() == HttpMethod.OPTIONS && requestedMethod != null;
        response.header(
                "Vary", preflight ? "Origin, Access-Control-Request-Method, Access-Control-Request-Headers" : "Origin");
        String allowOrigin = policy.allowOrigin(origin);
        if (allowOrigin == null) {
            return refuse(response, "origin " + origin + " is not allowed");
        }
        if (!preflight) {
            response.header("Access-Control-Allow-Origin", allowOrigin);
            if (policy.credentials()) {
                response.header("Access-Control-Allow-Credentials", "true");
            }
            if (!policy.exposedHeaders().isEmpty()) {
                response.header("Access-Control-Expose-Headers", String.join(", ", policy.exposedHeaders()));
            }
            return true;
        }
        if (!policy.allowsMethod(requestedMethod)) {
            return refuse(response, "method " + requestedMethod + " is not allowed");
        }
        List<String> requestedHeaders = requestedHeaders(request);
        List<String> allowedHeaders = policy.allowHeaders(requestedHeaders);
        if (allowedHeaders == null) {
            return refuse(response, "headers " + requestedHeaders + " are not all allowed");
        }
        response.header("Access-Control-Allow-Origin", allowOrigin);
        response.header("Access-Control-Allow-Methods", policy.allowMethods(requestedMethod));
        if (!allowedHeaders.isEmpty()) {
            response.header("Access-Control-Allow-Headers", String.join(", ", allowedHeaders));
        }
        if (policy.credentials()) {
            response.header("Access-Control-Allow-Credentials", "true");
        }
        response.header("Access-Control-Max-Age", Long.toString(policy.maxAge().toSeconds()));
        response.status(200).send(new byte[0]);
        return false;
    }

    private static boolean refuse(HttpResponse response, String why) throws IOException {
        LOG.debug("Invalid CORS request: " + why);
        response.status(403).contentType("text/plain;charset=UTF-8").send("Invalid CORS request\n");
        return false;
    }

    private static List<String> requestedHeaders(HttpRequest request) {
        List<String> names = new ArrayList<>();
        for (String header : request.headers("Access-Control-Request-Headers")) {
            for (String name : header.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.strip());
                }
            }
        }
        return names;
    }

    /** Whether {@code Origin} names this server as the request reached it (scheme, host and port). */
    private static boolean sameOrigin(HttpRequest request, String origin) {
        String host = request.header("Host").orElse(null);
        if (host == null) {
            return false;
        }
        URI uri;
        try {
            uri = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        String scheme = TlsSession.of(request.session()).isPresent() ? "https" : "http";
        if (!scheme.equalsIgnoreCase(uri.getScheme())) {
            return false;
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String originAuthority = uri.getHost() + (originPort == defaultPort ? "" : ":" + originPort);
        String hostAuthority = host.endsWith(":" + defaultPort) ? host.substring(0, host.lastIndexOf(':')) : host;
        return originAuthority.equalsIgnoreCase(hostAuthority);
    }

    @Override
    public int getOrder() {
        return CORS_ORDER;
    }
}
