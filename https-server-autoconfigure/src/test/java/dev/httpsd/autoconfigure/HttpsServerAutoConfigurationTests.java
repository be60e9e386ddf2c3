package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.ServerPortInfoApplicationContextInitializer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.PropertySource;

/** The auto-configuration's beans, conditions, back-offs, customizers and lifecycle. */
class HttpsServerAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void serverBeansAreCreatedAndTheServerRuns() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(HttpsServerConfigFactory.class);
            assertThat(context).hasSingleBean(HttpsServerLifecycle.class);
            assertThat(context).hasSingleBean(HttpsServerProperties.class);
            assertThat(context.getBean(HttpsServerLifecycle.class).isRunning()).isTrue();
        });
    }

    @Test
    void enabledFalseCreatesNoServerBeans() {
        runner.withPropertyValues("https-server.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(HttpsServerConfigFactory.class);
            assertThat(context).doesNotHaveBean(HttpsServerLifecycle.class);
            assertThat(context).doesNotHaveBean(HttpsServerProperties.class);
            assertThat(context).doesNotHaveBean(AnnotatedHandlers.class);
            assertThat(context.getEnvironment().getProperty(HttpsServerLifecycle.PORT_PROPERTY))
                    .isNull();
        });
    }

    @Test
    void withoutTheCoreOnTheClasspathNothingIsConfigured() {
        runner.withClassLoader(new FilteredClassLoader(HttpsServer.class))
                .run(context -> assertThat(context).doesNotHaveBean(HttpsServerLifecycle.class));
    }

    @Test
    void withoutSslBundlesPemPropertiesStillWork() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HttpsServerAutoConfiguration.class))
                .withPropertyValues("https-server.port-secure=0")
                .withPropertyValues(TestHttps.inlineServerMaterial())
                .run(context -> {
                    assertThat(context).doesNotHaveBean(SslBundles.class);
                    assertThat(TestHttps.get(context, "/").statusCode()).isEqualTo(404);
                });
    }

    @Test
    void portZeroPublishesTheBoundPortAsLocalHttpsServerPort() {
        runner.run(context -> {
            int published = TestHttps.port(context);
            assertThat(published).isPositive().isEqualTo(server(context).port());
        });
    }

    @Test
    void initializedEventCarriesTheRunningServerAndItsPort() {
        runner.withUserConfiguration(InitializedListener.class).run(context -> {
            List<HttpsServerInitializedEvent> events = context.getBean(InitializedListener.class).events;
            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.server()).isSameAs(server(context));
                assertThat(event.port()).isEqualTo(TestHttps.port(context));
            });
        });
    }

    @Test
    void initializedEventIsBootsWebServerInitializedEventInTheHttpsServerNamespace() {
        runner.withUserConfiguration(InitializedListener.class).run(context -> {
            HttpsServerInitializedEvent event =
                    context.getBean(InitializedListener.class).events.get(0);
            assertThat(event).isInstanceOf(WebServerInitializedEvent.class);
            assertThat(event.getWebServer()).isSameAs(context.getBean(HttpsdWebServer.class));
            assertThat(event.getWebServer().getPort()).isEqualTo(server(context).port());
            assertThat(event.getApplicationContext().getServerNamespace()).isEqualTo("https-server");
            assertThat(event.getApplicationContext().getWebServer()).isSameAs(event.getWebServer());
            assertThat(WebServerApplicationContext.hasServerNamespace(event.getApplicationContext(), "https-server"))
                    .isTrue();
            assertThat(event.getApplicationContext().getEnvironment()).isSameAs(context.getEnvironment());
        });
    }

    @Test
    void bootsPortPublisherSetsLocalHttpsServerPortFromTheEvent() {
        runner.withInitializer(new ServerPortInfoApplicationContextInitializer())
                .run(context -> {
                    PropertySource<?> boots =
                            context.getEnvironment().getPropertySources().get("server.ports");
                    assertThat(boots).as("Boot's port property source").isNotNull();
                    assertThat(boots.getProperty("local.https-server.port"))
                            .isEqualTo(server(context).port());
                    assertThat(context.getEnvironment().getPropertySources().get("https-server.ports"))
                            .as("no second source when Boot published the port")
                            .isNull();
                });
    }

    @Test
    void theGracefulShutdownLifecycleIsBootsAndFollowsServerShutdown() {
        runner.run(context -> assertThat(context)
                .getBean("httpsServerGracefulShutdown")
                .isInstanceOf(WebServerGracefulShutdownLifecycle.class));
        runner.withPropertyValues("server.shutdown=immediate")
                .run(context -> assertThat(context).doesNotHaveBean("httpsServerGracefulShutdown"));
    }

    @Test
    void serverEventsAreBridgedByABeanThatPublishEventsFalseRemoves() {
        runner.run(context -> assertThat(context).hasSingleBean(ServerEventBridge.class));
        runner.withPropertyValues("https-server.publish-events=false")
                .run(context -> assertThat(context).doesNotHaveBean(ServerEventBridge.class));
    }

    @Test
    void theStartStopLifecycleRunsInBootsWebServerPhase() {
        runner.run(context -> assertThat(
                        context.getBean(HttpsServerLifecycle.class).getPhase())
                .isEqualTo(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE));
    }

    @Test
    void customizerAdjustsTheConfigurationAndConfiguresTheServer() {
        runner.withUserConfiguration(CustomizerConfiguration.class).run(context -> {
            assertThat(server(context).config().sessionTickets()).isFalse();
            var response = TestHttps.get(context, "/customized");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("registered by configure()");
        });
    }

    @Test
    void customizersAreAppliedInOrderSoTheLastOneWins() {
        runner.withUserConfiguration(OrderedCustomizers.class)
                .run(context ->
                        assertThat(server(context).config().handshakeTimeout()).isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void closingTheContextStopsTheServer() {
        runner.run(context -> {
            HttpsServerLifecycle lifecycle = context.getBean(HttpsServerLifecycle.class);
            HttpsServer running = lifecycle.server();
            context.close();
            assertThat(running.httpServer().isStopped()).isTrue();
            assertThat(lifecycle.isRunning()).isFalse();
        });
    }

    @Test
    void restartedContextServesItsHandlersAgainOnTheNewlyPublishedPort() {
        runner.withUserConfiguration(Greeting.class, InitializedListener.class).run(context -> {
            HttpsServer first = server(context);
            context.stop();
            assertThat(first.httpServer().isStopped()).isTrue();
            context.start();
            assertThat(server(context)).isNotSameAs(first);
            assertThat(TestHttps.port(context)).isEqualTo(server(context).port());
            assertThat(TestHttps.get(context, "/greeting").body()).isEqualTo("hello again");
            assertThat(context.getBean(InitializedListener.class).events).hasSize(2);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Greeting {
        @UriMapping(uri = "/greeting")
        String greeting() {
            return "hello again";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InitializedListener {
        final List<HttpsServerInitializedEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(HttpsServerInitializedEvent event) {
            events.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {
        @Bean
        HttpsServerCustomizer customizer() {
            return new HttpsServerCustomizer() {
                @Override
                public void customize(HttpsServerConfig.Builder config) {
                    config.sessionTickets(false);
                }

                @Override
                public void configure(HttpServer server) {
                    server.registerUriHandler(UriHandler.of(
                            "/customized",
                            HttpMethod.GET,
                            (request, response) -> response.send("registered by configure()")));
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderedCustomizers {
        @Bean
        @Order(2)
        HttpsServerCustomizer second() {
            return new HttpsServerCustomizer() {
                @Override
                public void customize(HttpsServerConfig.Builder config) {
                    config.handshakeTimeout(Duration.ofSeconds(2));
                }
            };
        }

        @Bean
        @Order(1)
        HttpsServerCustomizer first() {
            return new HttpsServerCustomizer() {
                @Override
                public void customize(HttpsServerConfig.Builder config) {
                    config.handshakeTimeout(Duration.ofSeconds(1));
                }
            };
        }
    }
}
