package dev.httpsd.server;

/**
 * Where the events of a server go: to every registered {@link ServerEventListener}, synchronously,
 * on the posting thread. A transport layer (TLS) posts its own event family to the same listeners
 * through it.
 *
 * <p>Posting to no listener costs next to nothing: ask {@link #enabled()} before building an
 * event.
 */
public interface EventSink {

    /** Whether any listener is registered; with none, build no event. */
    boolean enabled();

    /** Delivers an event to every listener; a listener that throws is logged and skipped. */
    void post(ServerEvent event);
}
