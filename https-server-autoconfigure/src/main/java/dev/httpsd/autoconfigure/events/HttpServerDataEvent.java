package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;

/** Published when request body bytes were received (ON_DATA). */
public final class HttpServerDataEvent extends HttpServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpServerDataEvent(HttpServer server, HttpServerEvent.OnData event) {
        super(server, event);
    }

    /** Bytes received. */
    public int length() {
        return ((HttpServerEvent.OnData) event()).length();
    }

    /** The request's HTTP/2 stream id, 0 on HTTP/1.1. */
    public int streamId() {
        return ((HttpServerEvent.OnData) event()).streamId();
    }
}
