package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.HttpsServerEvent;

/** Published when a TLS read decrypted bytes (ON_DATA). */
public final class HttpsServerDataEvent extends HttpsServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpsServerDataEvent(HttpServer server, HttpsServerEvent.OnData event) {
        super(server, event);
    }

    /** Bytes decrypted. */
    public int length() {
        return ((HttpsServerEvent.OnData) event()).length();
    }
}
