package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.HttpsServerEvent;

/** Published when a TLS session was discarded (DISCONNECTED). */
public final class HttpsServerDisconnectedEvent extends HttpsServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpsServerDisconnectedEvent(HttpServer server, HttpsServerEvent.Disconnected event) {
        super(server, event);
    }
}
