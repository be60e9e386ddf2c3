package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.CustomScopeConfigurer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.context.support.SimpleThreadScope;

/**
 * Handlers are found among the bean definitions once every singleton exists: lazy beans are
 * created for the server, prototype and scoped beans are registered once, and a handler bean that
 * appears after that fails with a message instead of silently never being served.
 */
class HandlerDiscoveryTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void aLazyHandlerBeanIsCreatedAndServed() {
        runner.withUserConfiguration(LazyHandlers.class).run(context -> {
            assertThat(TestHttps.get(context, "/lazy").body()).isEqualTo("lazy but served");
            assertThat(TestHttps.get(context, "/lazy-method").body()).isEqualTo("lazy method");
        });
    }

    @Test
    void aPrototypeHandlerBeanIsRegisteredOnceAndLaterInstancesChangeNothing() {
        runner.withUserConfiguration(PrototypeHandlers.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(routes(context, "/prototype")).isOne();
            context.getBean(PrototypeHandler.class); // another instance, after startup: not a new handler
            context.getBean(PrototypeHandler.class);
            assertThat(routes(context, "/prototype")).isOne();
            assertThat(TestHttps.get(context, "/prototype").body()).isEqualTo("instance 1");
        });
    }

    @Test
    void aScopedProxyHandlerBeanIsRegisteredOnceAndReachesTheCurrentTarget() {
        runner.withUserConfiguration(ThreadScopedHandlers.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(routes(context, "/scoped")).isOne();
            // each session thread has its own target behind the one registered proxy
            assertThat(TestHttps.get(context, "/scoped").body()).startsWith("target ");
        });
    }

    @Test
    void aHandlerBeanRegisteredAfterStartupFailsWhenCreatedNamingTheBean() {
        runner.run(context -> {
            GenericApplicationContext generic = (GenericApplicationContext) context.getSourceApplicationContext();
            generic.registerBean("lateHandler", LateHandler.class);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> generic.getBean("lateHandler")))
                    .hasRootCauseInstanceOf(BeanInitializationException.class)
                    .rootCause()
                    .hasMessageContaining("Bean 'lateHandler'")
                    .hasMessageContaining("created after the httpsd handlers were collected")
                    .hasMessageContaining("would never be served");
        });
    }

    @Test
    void anOrdinaryBeanCreatedAfterStartupIsLeftAlone() {
        runner.run(context -> {
            GenericApplicationContext generic = (GenericApplicationContext) context.getSourceApplicationContext();
            generic.registerBean("lateComponent", StringBuilder.class);
            assertThat(generic.getBean("lateComponent")).isInstanceOf(StringBuilder.class);
        });
    }

    private static long routes(org.springframework.context.ApplicationContext context, String uri) {
        return TestHttps.server(context).httpServer().uriHandlers().stream()
                .map(UriHandler::uri)
                .filter(uri::equals)
                .count();
    }

    @Configuration(proxyBeanMethods = false)
    static class LazyHandlers {
        @Bean
        @Lazy
        LazyHandler lazyHandler() {
            return new LazyHandler();
        }

        @Bean
        @Lazy
        LazyMethod lazyMethod() {
            return new LazyMethod();
        }
    }

    @UriHandlerBean(uri = "/lazy")
    static class LazyHandler implements RequestHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws Exception {
            response.send("lazy but served");
        }
    }

    static class LazyMethod {
        @UriMapping(uri = "/lazy-method")
        String lazy() {
            return "lazy method";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrototypeHandlers {
        static final AtomicInteger INSTANCES = new AtomicInteger();

        @Bean
        @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
        PrototypeHandler prototypeHandler() {
            return new PrototypeHandler(INSTANCES.incrementAndGet());
        }
    }

    @UriHandlerBean(uri = "/prototype")
    static class PrototypeHandler implements RequestHandler {
        private final int instance;

        PrototypeHandler(int instance) {
            this.instance = instance;
        }

        @Override
        public void handle(HttpRequest request, HttpResponse response) throws Exception {
            response.send("instance " + instance);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ThreadScopedHandlers {
        @Bean
        static CustomScopeConfigurer threadScope() {
            CustomScopeConfigurer configurer = new CustomScopeConfigurer();
            configurer.addScope("thread", new SimpleThreadScope());
            return configurer;
        }

        @Bean
        @Scope(value = "thread", proxyMode = ScopedProxyMode.TARGET_CLASS)
        ThreadScopedHandler threadScopedHandler() {
            return new ThreadScopedHandler();
        }
    }

    static class ThreadScopedHandler {
        private static final AtomicInteger TARGETS = new AtomicInteger();
        private final int target = TARGETS.incrementAndGet();

        @UriMapping(uri = "/scoped")
        public String scoped() {
            return "target " + target;
        }
    }

    @UriHandlerBean(uri = "/late")
    static class LateHandler implements RequestHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws Exception {
            response.send("never");
        }
    }
}
