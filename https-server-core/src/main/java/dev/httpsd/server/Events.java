package dev.httpsd.server;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server's {@link EventSink}: its listeners, called synchronously on the posting thread. With
 * no listener, {@link #enabled()} is one volatile read and producers build no event.
 */
final class Events implements EventSink {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final CopyOnWriteArrayList<ServerEventListener> listeners;
    private volatile boolean present;

    Events(List<ServerEventListener> initial) {
        this.listeners = new CopyOnWriteArrayList<>(initial);
        this.present = !listeners.isEmpty();
    }

    void add(ServerEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        present = true;
    }

    void remove(ServerEventListener listener) {
        listeners.remove(Objects.requireNonNull(listener, "listener"));
        present = !listeners.isEmpty();
    }

    @Override
    public boolean enabled() {
        return present;
    }

    @Override
    public void post(ServerEvent event) {
        Objects.requireNonNull(event, "event");
        if (!present) {
            return;
        }
        for (ServerEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "event listener failed on " + event.name(), t);
            }
        }
    }
}
