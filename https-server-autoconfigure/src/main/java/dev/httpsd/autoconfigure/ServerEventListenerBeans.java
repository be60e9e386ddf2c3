package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.ServerEventListener;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Registers the application's {@link ServerEventListener} beans on the server before it accepts
 * connections, so they hear every event from {@code START} on, on the posting thread, without
 * becoming Spring events: a listener for code that wants the core events as they are (a test's
 * event recorder, for one). Beans that wire themselves are left out: the event bridge and {@link
 * HttpsServerCustomizer}s.
 */
final class ServerEventListenerBeans implements HttpsServerCustomizer {

    private final ObjectProvider<ServerEventListener> listeners;

    ServerEventListenerBeans(ObjectProvider<ServerEventListener> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void configure(HttpServer server) {
        listeners
                .orderedStream()
                .filter(listener ->
                        !(listener instanceof ServerEventBridge) && !(listener instanceof HttpsServerCustomizer))
                .forEach(server::addEventListener);
    }
}
