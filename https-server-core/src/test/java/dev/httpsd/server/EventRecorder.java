package dev.httpsd.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every server event in arrival order. */
final class EventRecorder implements ServerEventListener {

    private final List<ServerEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(ServerEvent event) {
        events.add(event);
    }

    List<ServerEvent> all() {
        return List.copyOf(events);
    }

    /** The ids of one session's events, in order. */
    List<HttpServerEvent.Id> idsOf(int sessionId) {
        return events.stream()
                .filter(e -> e.sessionId() == sessionId)
                .map(e -> ((HttpServerEvent) e).id())
                .toList();
    }

    List<HttpServerEvent> ofSession(int sessionId) {
        return events.stream()
                .filter(e -> e.sessionId() == sessionId)
                .map(HttpServerEvent.class::cast)
                .toList();
    }

    boolean has(HttpServerEvent.Id id, int sessionId) {
        return events.stream().anyMatch(e -> e.sessionId() == sessionId && ((HttpServerEvent) e).id() == id);
    }

    boolean has(HttpServerEvent.Id id) {
        return events.stream().anyMatch(e -> ((HttpServerEvent) e).id() == id);
    }

    /** The id of the session whose ON_CONNECTED came from this client port. */
    int sessionFromPort(int clientPort) {
        Await.until(
                "a session from client port " + clientPort,
                () -> events.stream()
                        .anyMatch(e -> e instanceof HttpServerEvent.OnConnected c
                                && c.remoteAddress().getPort() == clientPort));
        return events.stream()
                .filter(e -> e instanceof HttpServerEvent.OnConnected c
                        && c.remoteAddress().getPort() == clientPort)
                .findFirst()
                .orElseThrow()
                .sessionId();
    }

    void awaitEvent(HttpServerEvent.Id id, int sessionId) {
        Await.until(id + " of session " + sessionId, () -> has(id, sessionId));
    }
}
