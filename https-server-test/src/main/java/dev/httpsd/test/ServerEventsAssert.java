package dev.httpsd.test;

import dev.httpsd.server.ServerEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.ObjectAssert;

/**
 * AssertJ assertions on recorded server events: every list assertion, plus order by event type
 * and views of one session or one family.
 *
 * <pre>{@code
 * assertThat(recorder).forSession(id).containsSubsequence(
 *         HttpsServerEvent.OnConnected.class, HttpServerEvent.OnConnected.class, HttpServerEvent.OnHeader.class,
 *         HttpServerEvent.Disconnected.class, HttpsServerEvent.Disconnected.class);
 * }</pre>
 */
public final class ServerEventsAssert
        extends AbstractListAssert<ServerEventsAssert, List<ServerEvent>, ServerEvent, ObjectAssert<ServerEvent>> {

    public ServerEventsAssert(List<ServerEvent> events) {
        super(List.copyOf(events), ServerEventsAssert.class);
    }

    /** The events of one session, in order. */
    public ServerEventsAssert forSession(int sessionId) {
        return new ServerEventsAssert(
                actual.stream().filter(e -> e.sessionId() == sessionId).toList());
    }

    /** The events of one family or type, e.g. {@code HttpsServerEvent.class}, in order. */
    public ServerEventsAssert ofType(Class<? extends ServerEvent> type) {
        return new ServerEventsAssert(actual.stream().filter(type::isInstance).toList());
    }

    /**
     * Verifies that events of these types were recorded in this order, other events possibly in
     * between (AssertJ's {@code containsSubsequence}, by type).
     */
    @SafeVarargs
    public final ServerEventsAssert containsSubsequence(Class<? extends ServerEvent>... types) {
        isNotNull();
        int next = 0;
        for (ServerEvent event : actual) {
            if (next < types.length && types[next].isInstance(event)) {
                next++;
            }
        }
        if (next < types.length) {
            failWithMessage(
                    "%nExpecting events of types%n  %s%nin this order (others may come between) but %s was not found"
                            + " after the ones before it in:%n  %s",
                    names(types), types[next].getName(), actual);
        }
        return this;
    }

    /** Verifies that exactly these types were recorded, in this order. */
    @SafeVarargs
    public final ServerEventsAssert containsExactlyTypes(Class<? extends ServerEvent>... types) {
        isNotNull();
        boolean match = actual.size() == types.length;
        for (int i = 0; match && i < types.length; i++) {
            match = types[i].isInstance(actual.get(i));
        }
        if (!match) {
            failWithMessage("%nExpecting exactly events of types%n  %s%nbut recorded:%n  %s", names(types), actual);
        }
        return this;
    }

    /** Verifies that no event of {@code type} was recorded. */
    public ServerEventsAssert hasNoEventOfType(Class<? extends ServerEvent> type) {
        isNotNull();
        List<ServerEvent> found = actual.stream().filter(type::isInstance).toList();
        if (!found.isEmpty()) {
            failWithMessage("%nExpecting no %s but recorded:%n  %s", type.getName(), found);
        }
        return this;
    }

    private static List<String> names(Class<?>[] types) {
        List<String> names = new ArrayList<>(types.length);
        Arrays.stream(types).forEach(type -> names.add(type.getName()));
        return names;
    }

    @Override
    protected ObjectAssert<ServerEvent> toAssert(ServerEvent value, String description) {
        return new ObjectAssert<>(value).as(description);
    }

    @Override
    protected ServerEventsAssert newAbstractIterableAssert(Iterable<? extends ServerEvent> iterable) {
        List<ServerEvent> events = new ArrayList<>();
        iterable.forEach(events::add);
        return new ServerEventsAssert(events);
    }
}
