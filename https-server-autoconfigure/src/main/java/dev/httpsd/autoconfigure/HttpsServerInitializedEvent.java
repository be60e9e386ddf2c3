package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.HttpsServer;
import org.springframework.context.ApplicationEvent;

/** Published once the server listens; carries the server and its bound port. */
public final class HttpsServerInitializedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    public HttpsServerInitializedEvent(HttpsServer server) {
        super(server);
    }

    public HttpsServer server() {
        return (HttpsServer) getSource();
    }

    /** The port served (secure or insecure, by transport mode). */
    public int port() {
        return server().port();
    }
}
