package dev.httpsd.autoconfigure;

import dev.httpsd.autoconfigure.events.HttpServerApplicationEvent;
import dev.httpsd.autoconfigure.events.HttpsServerApplicationEvent;
import dev.httpsd.autoconfigure.events.ServerApplicationEvent;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.ServerEventListener;
import dev.httpsd.server.tls.HttpsServerEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * Publishes every server event as its typed Spring event, synchronously, on the posting thread.
 *
 * <p>Events come several per request, so delivery takes the short way when it can: straight to
 * the context's event multicaster with the event type resolved once per class, which is what
 * {@code publishEvent} ends up doing for a context without a parent.
 */
final class ServerEventBridge implements ServerEventListener {

    private final ApplicationEventPublisher publisher;
    private static final ClassValue<ResolvableType> TYPES = new ClassValue<>() {
        @Override
        protected ResolvableType computeValue(Class<?> type) {
            return ResolvableType.forClass(type);
        }
    };

    private volatile HttpServer server;
    private volatile ApplicationEventMulticaster multicaster;

    ServerEventBridge(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Called before the server accepts connections (and before START is posted). */
    void bind(HttpServer server) {
        this.server = server;
        this.multicaster = directMulticaster(publisher);
    }

    @Override
    public void onEvent(ServerEvent event) {
        HttpServer source = server;
        if (source == null) {
            return;
        }
        ServerApplicationEvent spring = switch (event) {
            case HttpServerEvent http -> HttpServerApplicationEvent.of(source, http);
            case HttpsServerEvent https -> HttpsServerApplicationEvent.of(source, https);
            default -> null; // another transport's family: not bridged
        };
        if (spring == null) {
            return;
        }
        ApplicationEventMulticaster direct = multicaster;
        if (direct != null) {
            direct.multicastEvent(spring, TYPES.get(spring.getClass()));
        } else {
            publisher.publishEvent(spring);
        }
    }

    /** The multicaster of a parentless, active context; otherwise null (publish the normal way). */
    private static ApplicationEventMulticaster directMulticaster(ApplicationEventPublisher publisher) {
        if (publisher instanceof ApplicationContext context
                && context.getParent() == null
                && context.containsBean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)) {
            return context.getBean(
                    AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME,
                    ApplicationEventMulticaster.class);
        }
        return null;
    }
}
