package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;

/** Published when an error response was sent (ERROR). */
public final class HttpServerErrorEvent extends HttpServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpServerErrorEvent(HttpServer server, HttpServerEvent.Error event) {
        super(server, event);
    }

    /** The error sent. */
    public dev.httpsd.server.HttpError error() {
        return ((HttpServerEvent.Error) event()).error();
    }
}
