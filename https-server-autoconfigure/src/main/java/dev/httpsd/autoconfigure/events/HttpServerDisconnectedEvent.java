package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;

/** Published when a session was closed (DISCONNECTED). */
public final class HttpServerDisconnectedEvent extends HttpServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpServerDisconnectedEvent(HttpServer server, HttpServerEvent.Disconnected event) {
        super(server, event);
    }
}
