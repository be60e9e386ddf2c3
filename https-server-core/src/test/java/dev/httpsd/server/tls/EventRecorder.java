package dev.httpsd.server.tls;

import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.ServerEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Records every server event, HTTP and HTTPS families alike, in the order they were posted, and
 * lets a test wait (bounded) until some event arrives.
 */
final class EventRecorder implements ServerEventListener {

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
    static String label(ServerEvent event) {
        return (event instanceof HttpsServerEvent ? "HTTPS " : "HTTP ") + event.name();
    }

    List<ServerEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** Labels of the events of one session, in order. */
    List<String> labels(int sessionId) {
        List<String> labels = new ArrayList<>();
        for (ServerEvent event : events()) {
            if (event.sessionId() == sessionId) {
                labels.add(label(event));
            }
        }
        return labels;
    }

    /** Labels of every event, in order. */
    List<String> labels() {
        return events().stream().map(EventRecorder::label).toList();
    }

    /** Events of one HTTPS kind. */
    <T extends HttpsServerEvent> List<T> https(Class<T> type) {
        return events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * Waits until an event matching {@code condition} has been posted.
     *
     * @throws AssertionError naming the events seen when none arrives within {@code timeout}
     */
    ServerEvent await(Predicate<ServerEvent> condition, Duration timeout) throws InterruptedException {
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
                    throw new AssertionError("no matching event within " + timeout + "; seen: " + labels());
                }
                remaining = posted.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for an event with this label ({@code "HTTPS DISCONNECTED"}) for this session. */
    ServerEvent await(String label, int sessionId, Duration timeout) throws InterruptedException {
        return await(e -> e.sessionId() == sessionId && label(e).equals(label), timeout);
    }

    /** Waits for the first event with this label, any session. */
    ServerEvent await(String label, Duration timeout) throws InterruptedException {
        return await(e -> label(e).equals(label), timeout);
    }
}
