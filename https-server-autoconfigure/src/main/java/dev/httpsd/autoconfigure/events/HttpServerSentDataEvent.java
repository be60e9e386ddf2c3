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

    /** The request's HTTP/2 stream id, 0 on HTTP/1.1. */
    public int streamId() {
        return ((HttpServerEvent.SentData) event()).streamId();
    }
}
