package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.proxy.ProxyHeaderException;

/**
 * Published when a connection was refused for its PROXY protocol header (PROXY_REFUSED, not in
 * ESP): its peer is not a trusted source, or no complete, valid header came in time.
 */
public final class HttpServerProxyRefusedEvent extends HttpServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpServerProxyRefusedEvent(HttpServer server, HttpServerEvent.ProxyRefused event) {
        super(server, event);
    }

    /** What was wrong with the header, or with its sender. */
    public ProxyHeaderException.Reason reason() {
        return ((HttpServerEvent.ProxyRefused) event()).reason();
    }
}
