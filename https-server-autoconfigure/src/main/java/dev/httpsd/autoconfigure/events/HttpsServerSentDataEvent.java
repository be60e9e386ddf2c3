package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.HttpsServerEvent;

/** Published when a TLS write sent bytes (SENT_DATA). */
public final class HttpsServerSentDataEvent extends HttpsServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpsServerSentDataEvent(HttpServer server, HttpsServerEvent.SentData event) {
        super(server, event);
    }

    /** Bytes encrypted and sent. */
    public int length() {
        return ((HttpsServerEvent.SentData) event()).length();
    }
}
