package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;

/** Base of the {@code ESP_HTTP_SERVER_EVENT} family; listen to it for every HTTP event. */
public abstract sealed class HttpServerApplicationEvent extends ServerApplicationEvent
        permits HttpServerErrorEvent,
                HttpServerStartEvent,
                HttpServerConnectedEvent,
                HttpServerHeaderEvent,
                HttpServerHeadersSentEvent,
                HttpServerDataEvent,
                HttpServerSentDataEvent,
                HttpServerDisconnectedEvent,
                HttpServerStopEvent,
                HttpServerProxyRefusedEvent {

    private static final long serialVersionUID = 1L;

    HttpServerApplicationEvent(HttpServer server, HttpServerEvent event) {
        super(server, event);
    }

    /** The ESP event id. */
    public HttpServerEvent.Id id() {
        return ((HttpServerEvent) event()).id();
    }

    /** The Spring event for a core HTTP event. */
    public static HttpServerApplicationEvent of(HttpServer server, HttpServerEvent event) {
        return switch (event) {
            case HttpServerEvent.Error e -> new HttpServerErrorEvent(server, e);
            case HttpServerEvent.Start e -> new HttpServerStartEvent(server, e);
            case HttpServerEvent.OnConnected e -> new HttpServerConnectedEvent(server, e);
            case HttpServerEvent.OnHeader e -> new HttpServerHeaderEvent(server, e);
            case HttpServerEvent.HeadersSent e -> new HttpServerHeadersSentEvent(server, e);
            case HttpServerEvent.OnData e -> new HttpServerDataEvent(server, e);
            case HttpServerEvent.SentData e -> new HttpServerSentDataEvent(server, e);
            case HttpServerEvent.Disconnected e -> new HttpServerDisconnectedEvent(server, e);
            case HttpServerEvent.Stop e -> new HttpServerStopEvent(server, e);
            case HttpServerEvent.ProxyRefused e -> new HttpServerProxyRefusedEvent(server, e);
        };
    }
}
