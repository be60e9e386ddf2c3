package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;

/** Published when response body bytes were sent (SENT_DATA). */
public final class HttpServerSentDataEvent extends HttpServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpServerSentDataEvent(HttpServer server, HttpServerEvent.SentData event) {
        super(server, event);
    }

    /** Bytes sent. */
    public int length() {
        return ((HttpServerEvent.SentData) event()).length();
    }
}
