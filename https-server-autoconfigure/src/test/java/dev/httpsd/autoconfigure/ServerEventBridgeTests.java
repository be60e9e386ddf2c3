package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.events.HttpServerConnectedEvent;
import dev.httpsd.autoconfigure.events.HttpServerDataEvent;
import dev.httpsd.autoconfigure.events.HttpServerHeaderEvent;
import dev.httpsd.autoconfigure.events.HttpServerProxyRefusedEvent;
import dev.httpsd.autoconfigure.events.HttpsServerApplicationEvent;
import dev.httpsd.autoconfigure.events.HttpsServerSentDataEvent;
import dev.httpsd.autoconfigure.events.ServerApplicationEvent;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.proxy.ProxyHeaderException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.event.EventListener;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * The event bridge hands Spring only the events a listener asks for by type (a catch-all listener
 * does not count) or that {@code https-server.events.publish} names, and notices every change of
 * the context's listeners while the server runs.
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
    void aConnectionRefusedForItsProxyHeaderReachesAListenerWithItsPeerAndReason() {
        runner.withUserConfiguration(ProxyRefusedListener.class)
                .withPropertyValues(
                        "https-server.proxy-protocol.enabled=true",
                        "https-server.proxy-protocol.trusted-sources=127.0.0.0/8")
                .run(context -> {
                    int clientPort;
                    try (Socket direct = new Socket(InetAddress.getLoopbackAddress(), TestHttps.port(context))) {
                        clientPort = direct.getLocalPort();
                        direct.setSoTimeout((int) PATIENCE.toMillis());
                        direct.getOutputStream()
                                .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        assertThat(direct.getInputStream().read())
                                .as("closed unserved")
                                .isEqualTo(-1);
                    }
                    ProxyRefusedListener listener = context.getBean(ProxyRefusedListener.class);
                    await().atMost(PATIENCE).until(() -> !listener.received.isEmpty());
                    HttpServerProxyRefusedEvent refused = listener.received.getFirst();
                    assertThat(refused.reason()).isEqualTo(ProxyHeaderException.Reason.NOT_PROXY_PROTOCOL);
                    assertThat(refused.remoteAddress().getPort()).isEqualTo(clientPort);
                    assertThat(refused.id()).isEqualTo(HttpServerEvent.Id.PROXY_REFUSED);
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
    void aCatchAllListenerAloneCausesNoServerEventToBePublished() {
        runner.withBean("allEvents", AllApplicationEvents.class, AllApplicationEvents::new)
                .withUserConfiguration(ConnectedListener.class)
                .run(context -> {
                    TestHttps.get(context, "/nothing-here");
                    ConnectedListener typed = context.getBean(ConnectedListener.class);
                    await().atMost(PATIENCE).until(() -> typed.received.get() == 1);
                    AllApplicationEvents catchAll = context.getBean(AllApplicationEvents.class);
                    assertThat(catchAll.received)
                            .filteredOn(ServerApplicationEvent.class::isInstance)
                            .as("only what the typed listener asked for")
                            .allMatch(HttpServerConnectedEvent.class::isInstance);
                    assertThat(context.getBean(CountingMulticaster.class).serverEvents)
                            .containsOnlyKeys(HttpServerConnectedEvent.class);
                });
    }

    @Test
    void eventsNamedInThePublishPropertyReachACatchAllListener() {
        runner.withBean("allEvents", AllApplicationEvents.class, AllApplicationEvents::new)
                .withPropertyValues("https-server.events.publish=https, HTTP_SERVER_EVENT_ON_HEADER")
                .run(context -> {
                    TestHttps.get(context, "/nothing-here");
                    AllApplicationEvents listener = context.getBean(AllApplicationEvents.class);
                    await().atMost(PATIENCE)
                            .until(() -> listener.received.stream().anyMatch(HttpServerHeaderEvent.class::isInstance)
                                    && listener.received.stream().anyMatch(HttpsServerSentDataEvent.class::isInstance));
                    assertThat(listener.received)
                            .filteredOn(ServerApplicationEvent.class::isInstance)
                            .allMatch(event -> event instanceof HttpsServerApplicationEvent
                                    || event instanceof HttpServerHeaderEvent);
                });
    }

    @Test
    void publishAllHandsEveryEventToTheMulticaster() {
        runner.withPropertyValues("https-server.events.publish=all").run(context -> {
            TestHttps.get(context, "/nothing-here");
            Map<Class<?>, AtomicInteger> multicast = context.getBean(CountingMulticaster.class).serverEvents;
            await().atMost(PATIENCE)
                    .until(() -> multicast.containsKey(HttpServerHeaderEvent.class)
                            && multicast.containsKey(HttpsServerSentDataEvent.class));
        });
    }

    @Test
    void anUnknownEventNameInThePublishPropertyStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("https-server.events.publish=HTTP_SERVER_EVENT_ON_HEDAER")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("https-server.events.publish")
                        .hasMessageContaining("HTTP_SERVER_EVENT_ON_HEDAER"));
    }

    @Test
    void aListenerAddedWhileTheServerRunsReceivesTheEventsFromThenOn() {
        runner.withUserConfiguration(ConnectedListener.class).run(context -> {
            TestHttps.get(context, "/nothing-here");
            assertThat(context.getBean(CountingMulticaster.class).serverEvents)
                    .doesNotContainKey(HttpServerHeaderEvent.class);
            List<ApplicationEvent> late = new CopyOnWriteArrayList<>();
            // a lambda's event type cannot be seen: forEventType says it
            ((ConfigurableApplicationContext) context.getSourceApplicationContext())
                    .addApplicationListener(
                            GenericApplicationListener.forEventType(HttpServerHeaderEvent.class, late::add));
            TestHttps.get(context, "/nothing-here");
            await().atMost(PATIENCE).until(() -> late.size() == 1);
            assertThat(late.getFirst()).isInstanceOf(HttpServerHeaderEvent.class);
            assertThat(context.getBean(CountingMulticaster.class).serverEvents)
                    .doesNotContainKey(HttpServerDataEvent.class);
        });
    }

    @Test
    void aListenerRemovedAndAnotherAddedIsAChangeThoughTheirNumberStaysTheSame() {
        runner.run(context -> {
            ConfigurableApplicationContext app = (ConfigurableApplicationContext) context.getSourceApplicationContext();
            List<ApplicationEvent> connected = new CopyOnWriteArrayList<>();
            ApplicationListener<?> first =
                    GenericApplicationListener.forEventType(HttpServerConnectedEvent.class, connected::add);
            app.addApplicationListener(first);
            TestHttps.get(context, "/nothing-here");
            await().atMost(PATIENCE).until(() -> connected.size() == 1);
            Map<Class<?>, AtomicInteger> multicast = context.getBean(CountingMulticaster.class).serverEvents;
            assertThat(multicast).doesNotContainKey(HttpServerHeaderEvent.class);

            List<ApplicationEvent> headers = new CopyOnWriteArrayList<>();
            app.removeApplicationListener(first);
            app.addApplicationListener(
                    GenericApplicationListener.forEventType(HttpServerHeaderEvent.class, headers::add));
            TestHttps.get(context, "/nothing-here");
            await().atMost(PATIENCE).until(() -> headers.size() == 1);
            assertThat(connected).hasSize(1);
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
    static class ProxyRefusedListener {
        final List<HttpServerProxyRefusedEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        void on(HttpServerProxyRefusedEvent event) {
            received.add(event);
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
