package dev.httpsd.server;

import dev.httpsd.server.tls.HttpsServerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Records every server event, HTTP and HTTPS families alike, in the order they were posted, and
 * lets a test wait (bounded, signalled, no polling) until some event arrives. The one recorder of
 * the core's tests.
 */
public final class EventRecorder implements ServerEventListener {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<ServerEvent> events = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition posted = lock.newCondition();

    @Override
    public void onEvent(ServerEvent event) {
        lock.lock();
        try {
            events.add(event);
            posted.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@code "HTTPS ON_CONNECTED"} or {@code "HTTP ON_HEADER"}. */
    public static String label(ServerEvent event) {
        return (event instanceof HttpsServerEvent ? "HTTPS " : "HTTP ") + event.name();
    }

    /** Every event so far, in order. */
    public List<ServerEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** Every event so far, in order. */
    public List<ServerEvent> all() {
        return events();
    }

    /** Labels of every event, in order. */
    public List<String> labels() {
        return events().stream().map(EventRecorder::label).toList();
    }

    /** Labels of the events of one session, in order. */
    public List<String> labels(int sessionId) {
        return events().stream()
                .filter(e -> e.sessionId() == sessionId)
                .map(EventRecorder::label)
                .toList();
    }

    /** The HTTP event ids of one session, in order. */
    public List<HttpServerEvent.Id> idsOf(int sessionId) {
        return ofSession(sessionId).stream().map(HttpServerEvent::id).toList();
    }

    /** The HTTP events of one session, in order. */
    public List<HttpServerEvent> ofSession(int sessionId) {
        return events().stream()
                .filter(e -> e.sessionId() == sessionId && e instanceof HttpServerEvent)
                .map(HttpServerEvent.class::cast)
                .toList();
    }

    /** Events of one HTTPS kind. */
    public <T extends HttpsServerEvent> List<T> https(Class<T> type) {
        return events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    public boolean has(HttpServerEvent.Id id, int sessionId) {
        return events().stream().anyMatch(e -> e.sessionId() == sessionId && isHttp(e, id));
    }

    public boolean has(HttpServerEvent.Id id) {
        return events().stream().anyMatch(e -> isHttp(e, id));
    }

    /** The id of the session whose HTTP ON_CONNECTED came from this client port. */
    public int sessionFromPort(int clientPort) throws InterruptedException {
        return await(
                        e -> e instanceof HttpServerEvent.OnConnected c
                                && c.remoteAddress().getPort() == clientPort,
                        PATIENCE)
                .sessionId();
    }

    /** Waits for an HTTP event of one session. */
    public void awaitEvent(HttpServerEvent.Id id, int sessionId) throws InterruptedException {
        await(e -> e.sessionId() == sessionId && isHttp(e, id), PATIENCE);
    }

    /** Waits for an event with this label ({@code "HTTPS DISCONNECTED"}) for this session. */
    public ServerEvent await(String label, int sessionId, Duration timeout) throws InterruptedException {
        return await(e -> e.sessionId() == sessionId && label(e).equals(label), timeout);
    }

    /** Waits for the first event with this label, any session. */
    public ServerEvent await(String label, Duration timeout) throws InterruptedException {
        return await(e -> label(e).equals(label), timeout);
    }

    /**
     * Waits until an event matching {@code condition} has been posted.
     *
     * @throws AssertionError naming the events seen when none arrives within {@code timeout}
     */
    public ServerEvent await(Predicate<ServerEvent> condition, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (ServerEvent event : events) {
                    if (condition.test(event)) {
                        return event;
                    }
                }
                if (remaining <= 0) {
                    throw new AssertionError("no matching event within " + timeout + "; seen: "
                            + events.stream().map(EventRecorder::label).toList());
                }
                remaining = posted.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean isHttp(ServerEvent event, HttpServerEvent.Id id) {
        return event instanceof HttpServerEvent http && http.id() == id;
    }
}
