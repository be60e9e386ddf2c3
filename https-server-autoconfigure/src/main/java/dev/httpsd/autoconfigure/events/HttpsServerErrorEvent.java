package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.HttpsServerEvent;

/** Published when a TLS failure happened (ERROR). */
public final class HttpsServerErrorEvent extends HttpsServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpsServerErrorEvent(HttpServer server, HttpsServerEvent.Error event) {
        super(server, event);
    }

    /** The last TLS error. */
    public dev.httpsd.server.tls.TlsError error() {
        return ((HttpsServerEvent.Error) event()).error();
    }
}
