package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;

/** Published when the server started (START). */
public final class HttpServerStartEvent extends HttpServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpServerStartEvent(HttpServer server, HttpServerEvent.Start event) {
        super(server, event);
    }
}
