package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.events.HttpServerConnectedEvent;
import dev.httpsd.autoconfigure.events.HttpServerDataEvent;
import dev.httpsd.autoconfigure.events.HttpServerHeaderEvent;
import dev.httpsd.autoconfigure.events.HttpsServerSentDataEvent;
import dev.httpsd.autoconfigure.events.ServerApplicationEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.event.EventListener;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * The event bridge hands Spring only the events some listener accepts, and notices listeners added
 * while the server runs.
 */
class ServerEventBridgeTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HttpsServerAutoConfiguration.class))
            .withUserConfiguration(CountingMulticaster.class)
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void onlyEventTypesWithAListenerReachTheMulticaster() {
        runner.withUserConfiguration(ConnectedListener.class).run(context -> {
            TestHttps.get(context, "/nothing-here");
            ConnectedListener listener = context.getBean(ConnectedListener.class);
            await().atMost(PATIENCE).until(() -> listener.received.get() == 1);
            Map<Class<?>, AtomicInteger> multicast = context.getBean(CountingMulticaster.class).serverEvents;
            assertThat(multicast).containsOnlyKeys(HttpServerConnectedEvent.class);
            assertThat(multicast.get(HttpServerConnectedEvent.class)).hasValue(1);
        });
    }

    @Test
    void aListenerForTheWholeFamilyGetsEveryEventType() {
        runner.withUserConfiguration(EverythingListener.class).run(context -> {
            TestHttps.get(context, "/nothing-here");
            EverythingListener listener = context.getBean(EverythingListener.class);
            await().atMost(PATIENCE)
                    .until(() -> listener.types.contains(HttpsServerSentDataEvent.class)
                            && listener.types.contains(HttpServerHeaderEvent.class));
            assertThat(context.getBean(CountingMulticaster.class).serverEvents)
                    .containsKeys(HttpServerConnectedEvent.class, HttpServerHeaderEvent.class);
        });
    }

    @Test
    void aPlainApplicationListenerBeanForAllApplicationEventsCountsAsAListener() {
        runner.withBean("allEvents", AllApplicationEvents.class, AllApplicationEvents::new)
                .run(context -> {
                    TestHttps.get(context, "/nothing-here");
                    AllApplicationEvents listener = context.getBean(AllApplicationEvents.class);
                    await().atMost(PATIENCE)
                            .until(() -> listener.received.stream().anyMatch(HttpServerHeaderEvent.class::isInstance));
                });
    }

    @Test
    void aListenerAddedWhileTheServerRunsReceivesTheEventsFromThenOn() {
        runner.withUserConfiguration(ConnectedListener.class).run(context -> {
            TestHttps.get(context, "/nothing-here");
            assertThat(context.getBean(CountingMulticaster.class).serverEvents)
                    .doesNotContainKey(HttpServerHeaderEvent.class);
            List<ApplicationEvent> late = new CopyOnWriteArrayList<>();
            ((ConfigurableApplicationContext) context.getSourceApplicationContext())
                    .addApplicationListener((ApplicationListener<HttpServerHeaderEvent>) late::add);
            TestHttps.get(context, "/nothing-here");
            await().atMost(PATIENCE).until(() -> late.size() == 1);
            assertThat(late.getFirst()).isInstanceOf(HttpServerHeaderEvent.class);
            assertThat(context.getBean(CountingMulticaster.class).serverEvents)
                    .doesNotContainKey(HttpServerDataEvent.class);
        });
    }

    /** The context's multicaster, counting the server events it is handed, by type. */
    @Configuration(proxyBeanMethods = false)
    static class CountingMulticaster {
        final Map<Class<?>, AtomicInteger> serverEvents = new ConcurrentHashMap<>();

        @Bean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)
        ApplicationEventMulticaster applicationEventMulticaster() {
            return new SimpleApplicationEventMulticaster() {
                @Override
                public void multicastEvent(ApplicationEvent event, ResolvableType type) {
                    if (event instanceof ServerApplicationEvent) {
                        serverEvents
                                .computeIfAbsent(event.getClass(), c -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    super.multicastEvent(event, type);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ConnectedListener {
        final AtomicInteger received = new AtomicInteger();

        @EventListener
        void on(HttpServerConnectedEvent event) {
            received.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EverythingListener {
        final List<Class<?>> types = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ServerApplicationEvent event) {
            types.add(event.getClass());
        }
    }

    static class AllApplicationEvents implements ApplicationListener<ApplicationEvent> {
        final List<ApplicationEvent> received = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            received.add(event);
        }
    }
}
