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
import java.util.List;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.GenericApplicationListenerAdapter;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;

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
 * publishEvent} ends up doing, with the event type resolved once per event id. Which ids a
 * listener asks for is worked out once, with Spring's own matching rules, and again whenever the
 * context's listeners change: the table is keyed on the context's listener instances themselves
 * (compared by identity, in order, with each event: no allocation), so a listener removed and
 * another added is seen as a change. Listeners added to or removed from the multicaster directly,
 * bypassing the context, are not seen until the context's own listeners change. Scenario f of
 * {@code benchmarks/run.sh} measures what publishing costs under load.
 */
final class ServerEventBridge implements ServerEventListener {

    private static final ResolvableType ANY_EVENT = ResolvableType.forClass(ApplicationEvent.class);

    /** How events of one id travel: their Spring type, and whether they are published. */
    private record Route(ResolvableType type, boolean published) {}

    /** Routes worked out for one set of context listeners, kept as the key. */
    private record Routes(Route[] bySlot, Object[] listenersSeen) {}

    private final ApplicationEventPublisher publisher;
    private final AbstractApplicationContext context;
    private final EventSelection selection;

    private volatile HttpServer server;
    private volatile ApplicationEventMulticaster multicaster;
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
            ResolvableType type = ResolvableType.forClass(spring.getClass());
            route = new Route(type, isPublished(slot, type, source.getClass()));
            table[slot] = route;
            if (!route.published()) {
                return;
            }
        }
        ApplicationEventMulticaster direct = multicaster;
        if (direct != null) {
            direct.multicastEvent(spring, route.type());
        } else {
            publisher.publishEvent(spring);
        }
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
        if (context == null || selection.explicit()) {
            return current.bySlot();
        }
        Collection<ApplicationListener<?>> listeners = context.getApplicationListeners();
        if (!sameListeners(current.listenersSeen(), listeners)) {
            current = new Routes(new Route[EventSelection.SLOTS], listeners.toArray());
            routes = current;
        }
        return current.bySlot();
    }

    private static boolean sameListeners(Object[] seen, Collection<ApplicationListener<?>> now) {
        if (seen == null || seen.length != now.size()) {
            return false;
        }
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
