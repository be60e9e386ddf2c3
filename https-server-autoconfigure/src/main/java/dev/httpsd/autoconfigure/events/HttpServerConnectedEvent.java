package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;

/** Published when a session was accepted and opened (ON_CONNECTED). */
public final class HttpServerConnectedEvent extends HttpServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpServerConnectedEvent(HttpServer server, HttpServerEvent.OnConnected event) {
        super(server, event);
    }
}
