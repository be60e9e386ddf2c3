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
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.GenericApplicationListenerAdapter;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * Publishes every server event as its typed Spring event, synchronously, on the posting thread.
 *
 * <p>Events come several per request, so delivery takes the short way when it can. For a
 * parentless context it goes straight to the context's event multicaster, which is what {@code
 * publishEvent} ends up doing, with the event type resolved once per event id. And an event id
 * that no listener of the context accepts is not turned into a Spring event at all: which ids
 * have listeners is worked out once, with Spring's own matching rules, and again whenever the
 * context's set of listeners changes.
 */
final class ServerEventBridge implements ServerEventListener {

    private static final int HTTPS_ROUTES = HttpServerEvent.Id.values().length;
    private static final int ROUTES = HTTPS_ROUTES + HttpsServerEvent.Id.values().length;

    /** How events of one id travel: their Spring type, and whether any listener accepts them. */
    private record Route(ResolvableType type, boolean listened) {}

    private final ApplicationEventPublisher publisher;
    private final AbstractApplicationContext context;

    private volatile HttpServer server;
    private volatile ApplicationEventMulticaster multicaster;
    /** Indexed by {@link #slot}; an entry is filled by the first event of its id. */
    private volatile Route[] routes = new Route[ROUTES];
    /** The size of the context's listener set when {@link #routes} was started. */
    private volatile int listenersSeen = -1;

    ServerEventBridge(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.context = publisher instanceof AbstractApplicationContext c ? c : null;
    }

    /** Called before the server accepts connections (and before START is posted). */
    void bind(HttpServer server) {
        this.server = server;
        this.multicaster = directMulticaster();
        this.routes = new Route[ROUTES];
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
        if (route != null && !route.listened()) {
            return;
        }
        ServerApplicationEvent spring = event instanceof HttpServerEvent http
                ? HttpServerApplicationEvent.of(source, http)
                : HttpsServerApplicationEvent.of(source, (HttpsServerEvent) event);
        if (route == null) {
            ResolvableType type = ResolvableType.forClass(spring.getClass());
            route = new Route(type, isListened(type, source.getClass()));
            table[slot] = route;
            if (!route.listened()) {
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
            case HttpsServerEvent https -> HTTPS_ROUTES + https.id().ordinal();
            default -> -1;
        };
    }

    /** The routes, started afresh when listeners were added to or removed from the context. */
    private Route[] currentRoutes() {
        if (context == null) {
            return routes;
        }
        int listeners = context.getApplicationListeners().size();
        if (listeners != listenersSeen) {
            listenersSeen = listeners;
            routes = new Route[ROUTES];
        }
        return routes;
    }

    /**
     * Whether any listener of the context would receive an event of this type from this source,
     * decided as Spring's multicaster decides it. When that cannot be told (no context to ask, a
     * listener bean that cannot be created, listeners changing meanwhile): yes, and Spring sorts it
     * out at delivery.
     */
    private boolean isListened(ResolvableType type, Class<?> sourceType) {
        if (context == null) {
            return true;
        }
        try {
            for (ApplicationListener<?> listener : listeners()) {
                GenericApplicationListener generic = listener instanceof GenericApplicationListener g
                        ? g
                        : new GenericApplicationListenerAdapter(listener);
                if (generic.supportsEventType(type) && generic.supportsSourceType(sourceType)) {
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
