package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.events.HttpServerConnectedEvent;
import dev.httpsd.autoconfigure.events.HttpServerHeaderEvent;
import dev.httpsd.autoconfigure.events.HttpServerSentDataEvent;
import java.time.Duration;
import java.util.List;
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
import org.springframework.context.annotation.Scope;
import org.springframework.context.event.EventListener;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.core.annotation.Order;

/**
 * With the multicaster the context made itself, the bridge calls the listeners of an event type
 * itself: the ones Spring would call, in Spring's order, on the posting thread, and it sees every
 * change of the context's listeners. Where Spring's multicaster must decide (a catch-all listener,
 * a listener bean that is not a singleton) the event still goes through it. Whether the
 * multicaster delivered is read off the listener's own call stack.
 */
class ServerEventBridgeDirectDeliveryTests {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void listenersAreCalledInSpringsOrderOnThePostingThreadWithoutTheMulticaster() {
        runner.withUserConfiguration(OrderedListeners.class).run(context -> {
            OrderedListeners listeners = context.getBean(OrderedListeners.class);
            TestHttps.get(context, "/nothing-here");
            await().atMost(PATIENCE).until(() -> listeners.calls.size() == 3);
            assertThat(listeners.calls).containsExactly("first", "second", "third");
            assertThat(listeners.throughMulticaster).hasValue(0);
            assertThat(listeners.threads).allMatch(name -> name.startsWith("httpd-session-"));
        });
    }

    @Test
    void aListenerAddedWhileTheServerRunsAndOneRemovedAreSeenAtOnce() {
        runner.withUserConfiguration(OrderedListeners.class).run(context -> {
            ConfigurableApplicationContext app = (ConfigurableApplicationContext) context.getSourceApplicationContext();
            TestHttps.get(context, "/nothing-here");
            List<ApplicationEvent> headers = new CopyOnWriteArrayList<>();
            ApplicationListener<?> added =
                    GenericApplicationListener.forEventType(HttpServerHeaderEvent.class, headers::add);
            app.addApplicationListener(added);
            TestHttps.get(context, "/nothing-here");
            await().atMost(PATIENCE).until(() -> !headers.isEmpty());

            List<ApplicationEvent> sent = new CopyOnWriteArrayList<>();
            app.removeApplicationListener(added);
            app.addApplicationListener(
                    GenericApplicationListener.forEventType(HttpServerSentDataEvent.class, sent::add));
            int headersBefore = headers.size();
            TestHttps.get(context, "/nothing-here");
            await().atMost(PATIENCE).until(() -> !sent.isEmpty());
            assertThat(headers).hasSize(headersBefore);
        });
    }

    @Test
    void aChangeThatKeepsTheNumberAndTheLastListenerIsSeenByTheFullComparison() {
        runner.run(context -> {
            ConfigurableApplicationContext app = (ConfigurableApplicationContext) context.getSourceApplicationContext();
            List<ApplicationEvent> connected = new CopyOnWriteArrayList<>();
            List<ApplicationEvent> headers = new CopyOnWriteArrayList<>();
            ApplicationListener<?> x =
                    GenericApplicationListener.forEventType(HttpServerConnectedEvent.class, connected::add);
            ApplicationListener<?> last = event -> {};
            app.addApplicationListener(x);
            app.addApplicationListener(last);
            TestHttps.get(context, "/nothing-here");
            await().atMost(PATIENCE).until(() -> connected.size() == 1);

            // same number of listeners, same last one: only comparing them one by one shows it
            app.removeApplicationListener(x);
            app.removeApplicationListener(last);
            app.addApplicationListener(
                    GenericApplicationListener.forEventType(HttpServerHeaderEvent.class, headers::add));
            app.addApplicationListener(last);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (headers.isEmpty() && System.nanoTime() < deadline) {
                TestHttps.get(context, "/nothing-here");
            }
            assertThat(headers).isNotEmpty();
            int connectedNow = connected.size();
            TestHttps.get(context, "/nothing-here");
            assertThat(connected).hasSize(connectedNow);
        });
    }

    @Test
    void aCatchAllListenerAmongThemLeavesDeliveryToTheMulticaster() {
        runner.withUserConfiguration(OrderedListeners.class, CatchAll.class).run(context -> {
            OrderedListeners listeners = context.getBean(OrderedListeners.class);
            CatchAll catchAll = context.getBean(CatchAll.class);
            TestHttps.get(context, "/nothing-here");
            await().atMost(PATIENCE).until(() -> listeners.calls.size() == 3 && catchAll.connected.get() == 1);
            assertThat(listeners.throughMulticaster).hasValue(3);
            assertThat(listeners.calls).containsExactly("first", "second", "third");
        });
    }

    @Test
    void aListenerBeanThatIsNotASingletonLeavesDeliveryToTheMulticaster() {
        runner.withUserConfiguration(PrototypeListener.class).run(context -> {
            TestHttps.get(context, "/nothing-here");
            TestHttps.get(context, "/nothing-here");
            await().atMost(PATIENCE).until(() -> PrototypeListener.calls.get() >= 2);
            assertThat(PrototypeListener.throughMulticaster).hasValue(PrototypeListener.calls.get());
        });
    }

    static boolean multicasterOnStack() {
        return StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(
                        f -> f.getClassName().equals(SimpleApplicationEventMulticaster.class.getName())));
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderedListeners {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final AtomicInteger throughMulticaster = new AtomicInteger();

        private void record(String name) {
            calls.add(name);
            threads.add(Thread.currentThread().getName());
            if (multicasterOnStack()) {
                throughMulticaster.incrementAndGet();
            }
        }

        @EventListener
        @Order(3)
        void third(HttpServerConnectedEvent event) {
            record("third");
        }

        @EventListener
        @Order(1)
        void first(HttpServerConnectedEvent event) {
            record("first");
        }

        @Bean
        Second second() {
            return new Second(this);
        }
    }

    /** A listener class (its event type and order are read off the class, as Spring does). */
    @Order(2)
    static class Second implements ApplicationListener<HttpServerConnectedEvent> {
        private final OrderedListeners owner;

        Second(OrderedListeners owner) {
            this.owner = owner;
        }

        @Override
        public void onApplicationEvent(HttpServerConnectedEvent event) {
            owner.record("second");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CatchAll {
        final AtomicInteger connected = new AtomicInteger();

        @Bean
        ApplicationListener<ApplicationEvent> everyApplicationEvent() {
            return event -> {
                if (event instanceof HttpServerConnectedEvent) {
                    connected.incrementAndGet();
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrototypeListener {
        static final AtomicInteger calls = new AtomicInteger();
        static final AtomicInteger throughMulticaster = new AtomicInteger();

        @Bean
        @Scope("prototype")
        static ApplicationListener<HttpServerConnectedEvent> connectedPerEvent() {
            return new ApplicationListener<>() {
                @Override
                public void onApplicationEvent(HttpServerConnectedEvent event) {
                    calls.incrementAndGet();
                    if (multicasterOnStack()) {
                        throughMulticaster.incrementAndGet();
                    }
                }
            };
        }
    }
}
