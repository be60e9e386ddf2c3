package dev.httpsd.autoconfigure;

import dev.httpsd.autoconfigure.events.HttpServerApplicationEvent;
import dev.httpsd.autoconfigure.events.HttpsServerApplicationEvent;
import dev.httpsd.autoconfigure.events.ServerApplicationEvent;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.ServerEventListener;
import dev.httpsd.server.tls.HttpsServerEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedCollection;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.GenericApplicationListenerAdapter;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * Publishes server events as their typed Spring events, on the posting thread, through the
 * context's event multicaster: synchronously and in order per session with Spring's default
 * multicaster; with one that has a task executor, as that executor runs them (see the README,
 * "Events").
 *
 * <p>Which events: those {@code https-server.events.publish} names; when it names none, those a
 * listener of the context asks for <em>by type</em>. A catch-all listener (an {@code
 * ApplicationListener<ApplicationEvent>}, such as Spring Boot DevTools' restart listener, or an
 * {@code @EventListener} of {@code Object}) does not count: it would turn every server event,
 * several per request and two per TLS record, into a Spring event nobody asked for. An event that
 * is not published is not allocated.
 *
 * <p>Events come several per request, so delivery takes the short way when it can. For a
 * parentless context it goes straight to the context's event multicaster, which is what {@code
 * publishEvent} ends up doing, with the event type resolved once per event id. When that
 * multicaster is the one the context made itself (Spring's {@code SimpleApplicationEventMulticaster},
 * no bean of the application's: so no task executor and no error handler), the bridge calls the
 * listeners of an event id itself, the ones the multicaster would call, matched by Spring's rules
 * and sorted by its order comparator, on the posting thread: what the multicaster does, without
 * looking the listeners up again for every event. An id with a catch-all listener among its
 * listeners, or whose listener beans are not singletons, goes through the multicaster.
 *
 * <p>Which ids a listener asks for, and who listens, is worked out once, with Spring's own
 * matching rules, and again whenever the context's listeners change: the table is keyed on the
 * context's listener instances themselves, compared by number and last instance with each event
 * (a listener added or removed, or one removed and another added, is seen at once) and one by one,
 * in order, at most every {@value #FULL_CHECK_MILLIS} ms (changes that keep both, such as two
 * removed and two added in a reordering). Listeners added to or removed from the multicaster
 * directly, bypassing the context, are not seen until the context's own listeners change.
 * Scenario f of {@code benchmarks/run.sh} measures what publishing costs under load.
 */
final class ServerEventBridge implements ServerEventListener {

    private static final ResolvableType ANY_EVENT = ResolvableType.forClass(ApplicationEvent.class);

    /** How long a change of listeners that keeps their number and last instance may go unseen. */
    static final long FULL_CHECK_MILLIS = 10;

    private static final long FULL_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(FULL_CHECK_MILLIS);

    /**
     * How events of one id travel: their Spring type, whether they are published, and the listeners
     * the bridge calls itself ({@code null}: the multicaster delivers).
     */
    private record Route(ResolvableType type, boolean published, ApplicationListener<ApplicationEvent>[] direct) {}

    /** Routes worked out for one set of context listeners, kept as the key. */
    private record Routes(Route[] bySlot, Object[] listenersSeen) {}

    private final ApplicationEventPublisher publisher;
    private final AbstractApplicationContext context;
    private final EventSelection selection;

    private volatile HttpServer server;
    private volatile ApplicationEventMulticaster multicaster;
    /** Whether {@link #multicaster} is the context's own default one (see the class comment). */
    private volatile boolean defaultMulticaster;
    /** When the listeners were last compared one by one (racy by design: a hint, not a lock). */
    private volatile long fullCheckAt;

    private volatile Routes routes = new Routes(new Route[EventSelection.SLOTS], null);

    ServerEventBridge(ApplicationEventPublisher publisher, EventSelection selection) {
        this.publisher = publisher;
        this.context = publisher instanceof AbstractApplicationContext c ? c : null;
        this.selection = selection;
    }

    /** Called before the server accepts connections (and before START is posted). */
    void bind(HttpServer server) {
        this.server = server;
        this.multicaster = directMulticaster();
        this.defaultMulticaster = multicaster != null
                && multicaster.getClass() == SimpleApplicationEventMulticaster.class
                && !context.getBeanFactory()
                        .containsBeanDefinition(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME);
        this.routes = new Routes(new Route[EventSelection.SLOTS], null);
    }

    @Override
    public void onEvent(ServerEvent event) {
        HttpServer source = server;
        int slot = slot(event);
        if (source == null || slot < 0) {
            return; // not bound yet, or another transport's family: not bridged
        }
        Route[] table = currentRoutes();
        Route route = table[slot];
        if (route != null && !route.published()) {
            return;
        }
        ServerApplicationEvent spring = event instanceof HttpServerEvent http
                ? HttpServerApplicationEvent.of(source, http)
                : HttpsServerApplicationEvent.of(source, (HttpsServerEvent) event);
        if (route == null) {
            route = route(slot, ResolvableType.forClass(spring.getClass()), source.getClass());
            table[slot] = route;
            if (!route.published()) {
                return;
            }
        }
        ApplicationListener<ApplicationEvent>[] direct = route.direct();
        if (direct != null) {
            for (ApplicationListener<ApplicationEvent> listener : direct) {
                listener.onApplicationEvent(spring);
            }
            return;
        }
        ApplicationEventMulticaster target = multicaster;
        if (target != null) {
            target.multicastEvent(spring, route.type());
        } else {
            publisher.publishEvent(spring);
        }
    }

    private Route route(int slot, ResolvableType type, Class<?> sourceType) {
        if (!isPublished(slot, type, sourceType)) {
            return new Route(type, false, null);
        }
        return new Route(type, true, defaultMulticaster ? directListeners(type, sourceType) : null);
    }

    private static int slot(ServerEvent event) {
        return switch (event) {
            case HttpServerEvent http -> http.id().ordinal();
            case HttpsServerEvent https ->
                EventSelection.HTTP_ID_COUNT + https.id().ordinal();
            default -> -1;
        };
    }

    /** The routes, started afresh when the context's listeners are not those they were made for. */
    private Route[] currentRoutes() {
        Routes current = routes;
        if (context == null || (selection.explicit() && !defaultMulticaster)) {
            return current.bySlot(); // nothing in the routes depends on the listeners
        }
        Collection<ApplicationListener<?>> listeners = context.getApplicationListeners();
        if (!sameListeners(current.listenersSeen(), listeners)) {
            current = new Routes(new Route[EventSelection.SLOTS], listeners.toArray());
            routes = current;
            fullCheckAt = System.nanoTime();
        }
        return current.bySlot();
    }

    /**
     * Whether the context's listeners are still those seen: by number and last instance each time
     * (where the collection has an order), one by one when that was last done too long ago.
     */
    private boolean sameListeners(Object[] seen, Collection<ApplicationListener<?>> now) {
        if (seen == null || seen.length != now.size()) {
            return false;
        }
        if (now instanceof SequencedCollection<ApplicationListener<?>> ordered && seen.length > 0) {
            try {
                if (ordered.getLast() != seen[seen.length - 1]) {
                    return false;
                }
            } catch (RuntimeException changing) {
                return false; // emptied meanwhile
            }
            long at = System.nanoTime();
            if (at - fullCheckAt < FULL_CHECK_NANOS) {
                return true;
            }
            fullCheckAt = at;
        }
        return sameInOrder(seen, now);
    }

    private static boolean sameInOrder(Object[] seen, Collection<ApplicationListener<?>> now) {
        int i = 0;
        for (ApplicationListener<?> listener : now) {
            if (i == seen.length || seen[i++] != listener) {
                return false;
            }
        }
        return true;
    }

    private boolean isPublished(int slot, ResolvableType type, Class<?> sourceType) {
        return selection.explicit() ? selection.selects(slot) : isAskedFor(type, sourceType);
    }

    /**
     * Whether a listener of the context asks for events of this type from this source by type,
     * decided as Spring's multicaster decides delivery, catch-all listeners left out. When that
     * cannot be told (no context to ask, a listener bean that cannot be created, listeners
     * changing meanwhile): yes, and Spring sorts it out at delivery.
     */
    private boolean isAskedFor(ResolvableType type, Class<?> sourceType) {
        if (context == null) {
            return true;
        }
        try {
            for (ApplicationListener<?> listener : listeners()) {
                GenericApplicationListener generic = listener instanceof GenericApplicationListener g
                        ? g
                        : new GenericApplicationListenerAdapter(listener);
                if (generic.supportsEventType(type)
                        && generic.supportsSourceType(sourceType)
                        && !generic.supportsEventType(ANY_EVENT)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * The listeners the default multicaster would call for this type and source, in its order;
     * {@code null} when the multicaster should deliver: a catch-all among them (Spring forgives a
     * catch-all lambda its {@code ClassCastException}), a listener bean that is not a singleton
     * (Spring looks it up for every event), or listeners that cannot be told.
     */
    @SuppressWarnings("unchecked")
    private ApplicationListener<ApplicationEvent>[] directListeners(ResolvableType type, Class<?> sourceType) {
        try {
            for (String name : context.getBeanNamesForType(ApplicationListener.class, true, false)) {
                if (!context.isSingleton(name)) {
                    return null;
                }
            }
            List<ApplicationListener<?>> matching = new ArrayList<>();
            for (ApplicationListener<?> listener : new LinkedHashSet<>(listeners())) {
                GenericApplicationListener generic = listener instanceof GenericApplicationListener g
                        ? g
                        : new GenericApplicationListenerAdapter(listener);
                if (generic.supportsEventType(type) && generic.supportsSourceType(sourceType)) {
                    if (generic.supportsEventType(ANY_EVENT)) {
                        return null;
                    }
                    matching.add(listener);
                }
            }
            AnnotationAwareOrderComparator.sort(matching);
            return matching.toArray(ApplicationListener[]::new);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Listener instances added to the context, and listener beans. */
    private List<ApplicationListener<?>> listeners() {
        List<ApplicationListener<?>> all = new ArrayList<>(context.getApplicationListeners());
        if (context.isActive()) {
            for (String name : context.getBeanNamesForType(ApplicationListener.class, true, false)) {
                all.add(context.getBean(name, ApplicationListener.class));
            }
        }
        return all;
    }

    /** The multicaster of a parentless, active context; otherwise null (publish the normal way). */
    private ApplicationEventMulticaster directMulticaster() {
        if (context != null
                && context.getParent() == null
                && context.containsBean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)) {
            return context.getBean(
                    AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME,
                    ApplicationEventMulticaster.class);
        }
        return null;
    }
}
