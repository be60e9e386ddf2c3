package dev.httpsd.autoconfigure;

import dev.httpsd.autoconfigure.events.HttpServerApplicationEvent;
import dev.httpsd.autoconfigure.events.HttpsServerApplicationEvent;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.ServerEventListener;
import dev.httpsd.server.tls.HttpsServerEvent;
import org.springframework.context.ApplicationEventPublisher;

/** Publishes every server event as its typed Spring event, synchronously, on the posting thread. */
final class ServerEventBridge implements ServerEventListener {

    private final ApplicationEventPublisher publisher;
    private volatile HttpServer server;

    ServerEventBridge(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Called before the server accepts connections (and before START is posted). */
    void bind(HttpServer server) {
        this.server = server;
    }

    @Override
    public void onEvent(ServerEvent event) {
        HttpServer source = server;
        if (source == null) {
            return;
        }
        switch (event) {
            case HttpServerEvent http -> publisher.publishEvent(HttpServerApplicationEvent.of(source, http));
            case HttpsServerEvent https -> publisher.publishEvent(HttpsServerApplicationEvent.of(source, https));
            default -> {
                // another transport's family: not bridged
            }
        }
    }
}
