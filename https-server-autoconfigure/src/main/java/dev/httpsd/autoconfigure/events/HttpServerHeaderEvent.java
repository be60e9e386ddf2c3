package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;

/** Published when a request head was received (ON_HEADER). */
public final class HttpServerHeaderEvent extends HttpServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpServerHeaderEvent(HttpServer server, HttpServerEvent.OnHeader event) {
        super(server, event);
    }

    /** The request's HTTP/2 stream id, 0 on HTTP/1.1. */
    public int streamId() {
        return ((HttpServerEvent.OnHeader) event()).streamId();
    }
}
