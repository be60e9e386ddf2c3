package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.HttpsServerEvent;

/** Published when the HTTPS server stopped (STOP). */
public final class HttpsServerStopEvent extends HttpsServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpsServerStopEvent(HttpServer server, HttpsServerEvent.Stop event) {
        super(server, event);
    }
}
