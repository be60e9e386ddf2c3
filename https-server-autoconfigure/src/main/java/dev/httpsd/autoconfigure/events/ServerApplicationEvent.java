package dev.httpsd.autoconfigure.events;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.ServerEvent;
import java.net.InetSocketAddress;
import org.springframework.context.ApplicationEvent;

/**
 * A server event published to the Spring context. The source is the {@link HttpServer} that
 * posted it.
 */
public abstract sealed class ServerApplicationEvent extends ApplicationEvent
        permits HttpServerApplicationEvent, HttpsServerApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient ServerEvent event;

    ServerApplicationEvent(HttpServer server, ServerEvent event) {
        super(server);
        this.event = event;
    }

    /** The server that posted the event. */
    public HttpServer server() {
        return (HttpServer) getSource();
    }

    /** The session id, or -1 for START and STOP. */
    public int sessionId() {
        return event.sessionId();
    }

    /** The client's address, or {@code null} for START and STOP. */
    public InetSocketAddress remoteAddress() {
        return event.remoteAddress();
    }

    /** The core event with its payload. */
    public ServerEvent event() {
        return event;
    }

    /** The ESP event id, e.g. {@code ON_CONNECTED}. */
    public String eventName() {
        return event.name();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[session " + sessionId() + ", " + remoteAddress() + ", " + event + "]";
    }
}
