package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;

/** Published when the server stopped (STOP). */
public final class HttpServerStopEvent extends HttpServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpServerStopEvent(HttpServer server, HttpServerEvent.Stop event) {
        super(server, event);
    }
}
