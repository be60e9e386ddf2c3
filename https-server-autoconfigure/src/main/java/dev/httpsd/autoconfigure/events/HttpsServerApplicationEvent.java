package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.tls.HttpsServerEvent;

/** Base of the {@code ESP_HTTPS_SERVER_EVENT} family; listen to it for every TLS event. */
public abstract sealed class HttpsServerApplicationEvent extends ServerApplicationEvent
        permits HttpsServerErrorEvent,
                HttpsServerStartEvent,
                HttpsServerConnectedEvent,
                HttpsServerDataEvent,
                HttpsServerSentDataEvent,
                HttpsServerDisconnectedEvent,
                HttpsServerStopEvent {

    private static final long serialVersionUID = 1L;

    HttpsServerApplicationEvent(HttpServer server, HttpsServerEvent event) {
        super(server, event);
    }

    /** The ESP event id. */
    public HttpsServerEvent.Id id() {
        return ((HttpsServerEvent) event()).id();
    }

    /** The Spring event for a core HTTPS event. */
    public static HttpsServerApplicationEvent of(HttpServer server, HttpsServerEvent event) {
        return switch (event) {
            case HttpsServerEvent.Error e -> new HttpsServerErrorEvent(server, e);
            case HttpsServerEvent.Start e -> new HttpsServerStartEvent(server, e);
            case HttpsServerEvent.OnConnected e -> new HttpsServerConnectedEvent(server, e);
            case HttpsServerEvent.OnData e -> new HttpsServerDataEvent(server, e);
            case HttpsServerEvent.SentData e -> new HttpsServerSentDataEvent(server, e);
            case HttpsServerEvent.Disconnected e -> new HttpsServerDisconnectedEvent(server, e);
            case HttpsServerEvent.Stop e -> new HttpsServerStopEvent(server, e);
        };
    }
}
