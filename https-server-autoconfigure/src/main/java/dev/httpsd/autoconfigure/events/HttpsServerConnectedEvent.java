package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.HttpsServerEvent;

/** Published when a TLS session was established (ON_CONNECTED). */
public final class HttpsServerConnectedEvent extends HttpsServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpsServerConnectedEvent(HttpServer server, HttpsServerEvent.OnConnected event) {
        super(server, event);
    }
}
