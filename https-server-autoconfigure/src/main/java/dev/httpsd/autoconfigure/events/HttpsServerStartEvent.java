package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.HttpsServerEvent;

/** Published when the HTTPS server started (START). */
public final class HttpsServerStartEvent extends HttpsServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpsServerStartEvent(HttpServer server, HttpsServerEvent.Start event) {
        super(server, event);
    }
}
