package dev.httpsd.test;

import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.ServerEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.assertj.core.api.AssertProvider;

/**
 * Records the server's events of both families ({@link dev.httpsd.server.HttpServerEvent} and
 * {@link dev.httpsd.server.tls.HttpsServerEvent}) as the server posts them, on whatever thread,
 * and lets a test wait for them. Spring's {@code @RecordApplicationEvents} sees only the events
 * published on the test's own thread; server events are posted on session threads.
 *
 * <p>A bean of every {@link RecordServerEvents} test context, cleared before each test method. The
 * auto-configuration registers every {@link ServerEventListener} bean on the server before it
 * accepts connections, so nothing from {@code START} on is missed. {@code
 * assertThat(recorder)} gives {@link ServerEventsAssert}.
 */
public final class ServerEventRecorder implements ServerEventListener, AssertProvider<ServerEventsAssert> {

    /** How long {@link #await} waits unless told: far above normal, a safety net. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<ServerEvent> events = new ArrayList<>();

    @Override
    public void onEvent(ServerEvent event) {
        lock.lock();
        try {
            events.add(event);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Every event recorded since the last {@link #clear()}, in the order they were posted. */
    public List<ServerEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** The recorded events of one type, e.g. {@code HttpServerEvent.OnConnected.class}. */
    public <T extends ServerEvent> List<T> events(Class<T> type) {
        return events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The recorded events of one session, both families, in order. */
    public List<ServerEvent> session(int sessionId) {
        return events().stream().filter(e -> e.sessionId() == sessionId).toList();
    }

    /** Forgets what was recorded. */
    public void clear() {
        lock.lock();
        try {
            events.clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the first recorded event of {@code type}, recorded before or after the call.
     *
     * @throws AssertionError listing what was recorded, when none arrives within {@link #PATIENCE}
     */
    public <T extends ServerEvent> T await(Class<T> type) throws InterruptedException {
        return await(type, event -> true, PATIENCE);
    }

    /** Waits for the first recorded event of {@code type} that matches {@code condition}. */
    public <T extends ServerEvent> T await(Class<T> type, Predicate<? super T> condition) throws InterruptedException {
        return await(type, condition, PATIENCE);
    }

    /**
     * Waits at most {@code timeout} for the first recorded event of {@code type} that matches
     * {@code condition}.
     *
     * @throws AssertionError listing what was recorded, when none arrives in time
     */
    public <T extends ServerEvent> T await(Class<T> type, Predicate<? super T> condition, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(condition, "condition");
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (ServerEvent event : events) {
                    if (type.isInstance(event) && condition.test(type.cast(event))) {
                        return type.cast(event);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + type.getName() + " matching the condition within " + timeout
                            + "; recorded: " + events);
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ServerEventsAssert assertThat() {
        return new ServerEventsAssert(events());
    }

    @Override
    public String toString() {
        return "ServerEventRecorder " + events();
    }
}
