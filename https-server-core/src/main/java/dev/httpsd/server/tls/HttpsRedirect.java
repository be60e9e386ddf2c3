package dev.httpsd.server.tls;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;

/** Answers every plain-HTTP request with a permanent redirect to the same URI over HTTPS. */
final class HttpsRedirect implements RequestHandler {

    private final int securePort;

    HttpsRedirect(int securePort) {
        this.securePort = securePort;
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        // an empty Host is valid (RFC 9112 §3.2) but names no host to send the client to
        String host = request.header("Host")
                .map(HttpsRedirect::hostOnly)
                .filter(name -> !name.isEmpty())
                .orElseGet(() -> request.session().localAddress().getAddress().getHostAddress());
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        // an absolute-form request (http://host/path?query) carries its path and query apart
        String target = request.uri().startsWith("/")
                ? request.uri()
                : request.path() + (request.rawQuery() == null ? "" : "?" + request.rawQuery());
        String location = "https://" + host + (securePort == 443 ? "" : ":" + securePort) + target;
        response.status(308)
                .contentType("text/plain")
                .header("Location", location)
                .send("Use " + location + "\n");
    }

    /** The Host header without its port; IPv6 literals keep their brackets. */
    static String hostOnly(String hostHeader) {
        String host = hostHeader.strip();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(0, end + 1) : host;
        }
        int colon = host.indexOf(':');
        return colon >= 0 ? host.substring(0, colon) : host;
    }
}
