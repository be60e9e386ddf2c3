package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;

/** Published when a response head was written (HEADERS_SENT). */
public final class HttpServerHeadersSentEvent extends HttpServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpServerHeadersSentEvent(HttpServer server, HttpServerEvent.HeadersSent event) {
        super(server, event);
    }

    /** The request's HTTP/2 stream id, 0 on HTTP/1.1. */
    public int streamId() {
        return ((HttpServerEvent.HeadersSent) event()).streamId();
    }
}
