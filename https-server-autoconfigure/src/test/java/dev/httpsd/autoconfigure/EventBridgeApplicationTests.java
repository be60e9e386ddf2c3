package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.events.HttpServerApplicationEvent;
import dev.httpsd.autoconfigure.events.HttpServerDisconnectedEvent;
import dev.httpsd.autoconfigure.events.HttpServerStartEvent;
import dev.httpsd.autoconfigure.events.HttpServerStopEvent;
import dev.httpsd.autoconfigure.events.ServerApplicationEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.event.EventListener;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * The event bridge in applications started by {@link org.springframework.boot.SpringApplication},
 * whose own listeners (and those of libraries such as DevTools) are in the context, unlike in an
 * {@code ApplicationContextRunner}: a catch-all listener added to the application does not turn
 * server events into Spring events, and with an asynchronous multicaster events reach ordinary
 * listeners on its executor, while a listener that opts out of asynchronous execution still gets
 * them on the session's thread, in order.
 */
class EventBridgeApplicationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("https-server.port-secure", "0");
        properties.put("spring.main.banner-mode", "off");
        for (String pair : TestHttps.inlineServerMaterial()) {
            int equals = pair.indexOf('=');
            properties.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return properties;
    }

    @Test
    void aCatchAllListenerOfTheApplicationGetsOnlyTheServerEventsATypedListenerAskedFor() throws Exception {
        AllApplicationEvents catchAll = new AllApplicationEvents();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TypedListenerApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties())
                .listeners(catchAll)
                .run()) {
            assertThat(((AbstractApplicationContext) context).getApplicationListeners())
                    .contains(catchAll);
            TestHttps.get(context, "/nothing-here");
            TypedListenerApplication typed = context.getBean(TypedListenerApplication.class);
            await().atMost(PATIENCE).until(() -> typed.disconnected.get() == 1);
            assertThat(catchAll.serverEvents()).containsOnly(HttpServerDisconnectedEvent.class);
            assertThat(context.getBean(CountingMulticaster.class).serverEvents)
                    .containsOnlyKeys(HttpServerDisconnectedEvent.class);
        }
    }

    @Test
    void withAnAsynchronousMulticasterEventsRunOnItsExecutorUnlessTheListenerOptsOut() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AsyncApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties())
                .run()) {
            TestHttps.get(context, "/nothing-here");
            AsyncApplication app = context.getBean(AsyncApplication.class);
            OnThePostingThread sync = context.getBean(OnThePostingThread.class);
            await().atMost(PATIENCE)
                    .until(() -> sync.inOrder.stream().anyMatch(HttpServerDisconnectedEvent.class::isInstance)
                            && app.asyncThreads.size() > sync.inOrder.size());
            assertThat(app.asyncThreads).isNotEmpty().allMatch(name -> name.startsWith("async-event-"));
            assertThat(sync.threads).allMatch(name -> name.startsWith("httpd-session-"));
            assertThat(sync.inOrder)
                    .extracting(event -> event.getClass().getSimpleName())
                    .startsWith("HttpServerConnectedEvent", "HttpServerHeaderEvent")
                    .endsWith("HttpServerDisconnectedEvent");
        }
    }

    /** A listener for every application event, as DevTools' restart listener is. */
    static final class AllApplicationEvents implements ApplicationListener<ApplicationEvent> {
        final List<ApplicationEvent> received = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            received.add(event);
        }

        List<Class<?>> serverEvents() {
            return received.stream()
                    .filter(ServerApplicationEvent.class::isInstance)
                    .<Class<?>>map(Object::getClass)
                    .distinct()
                    .toList();
        }
    }

    /** The context's multicaster, counting the server events it is handed, by type. */
    static class CountingMulticaster extends SimpleApplicationEventMulticaster {
        final Map<Class<?>, AtomicInteger> serverEvents = new ConcurrentHashMap<>();

        @Override
        public void multicastEvent(ApplicationEvent event, ResolvableType type) {
            if (event instanceof ServerApplicationEvent) {
                serverEvents
                        .computeIfAbsent(event.getClass(), c -> new AtomicInteger())
                        .incrementAndGet();
            }
            super.multicastEvent(event, type);
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TypedListenerApplication {
        final AtomicInteger disconnected = new AtomicInteger();

        @Bean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)
        static CountingMulticaster applicationEventMulticaster() {
            return new CountingMulticaster();
        }

        @EventListener
        void on(HttpServerDisconnectedEvent event) {
            disconnected.incrementAndGet();
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AsyncApplication {
        private static final AtomicInteger THREADS = new AtomicInteger();
        final List<String> asyncThreads = new CopyOnWriteArrayList<>();

        @Bean(destroyMethod = "shutdownNow")
        static ExecutorService asyncEventExecutor() {
            return Executors.newFixedThreadPool(
                    2, task -> new Thread(task, "async-event-" + THREADS.incrementAndGet()));
        }

        @Bean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)
        static ApplicationEventMulticaster applicationEventMulticaster(ExecutorService asyncEventExecutor) {
            SimpleApplicationEventMulticaster multicaster = new SimpleApplicationEventMulticaster();
            multicaster.setTaskExecutor(asyncEventExecutor);
            return multicaster;
        }

        @EventListener
        void anywhere(HttpServerApplicationEvent event) {
            asyncThreads.add(Thread.currentThread().getName());
        }

        @Bean
        static OnThePostingThread onThePostingThread() {
            return new OnThePostingThread();
        }
    }

    /** Opts out of the multicaster's executor: called on the thread that posts the event. */
    static final class OnThePostingThread implements ApplicationListener<HttpServerApplicationEvent> {
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<ApplicationEvent> inOrder = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(HttpServerApplicationEvent event) {
            if (event instanceof HttpServerStartEvent || event instanceof HttpServerStopEvent) {
                return; // posted by the thread that starts or stops the server, no session's
            }
            threads.add(Thread.currentThread().getName());
            inOrder.add(event);
        }

        @Override
        public boolean supportsAsyncExecution() {
            return false;
        }
    }
}
