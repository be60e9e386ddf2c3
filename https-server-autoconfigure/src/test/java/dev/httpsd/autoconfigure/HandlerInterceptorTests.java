package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.request;
import static dev.httpsd.autoconfigure.TestHttps.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.handler.HandlerInvocation;
import dev.httpsd.autoconfigure.handler.MappedHandler;
import dev.httpsd.autoconfigure.handler.QueryValue;
import dev.httpsd.autoconfigure.handler.RequestInterceptor;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.UriHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The {@link RequestInterceptor} beans form one chain around every handler: {@code before} in
 * order, {@code after} and {@code completed} in reverse, a {@code before} that answers itself
 * stops the chain, {@code completed} sees the failure.
 */
class HandlerInterceptorTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class, JacksonAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial())
            .withUserConfiguration(Handlers.class, Interceptors.class);

    @Test
    void beforeRunsInOrderAfterAndCompletedInReverse() {
        runner.run(context -> {
            Journal journal = context.getBean(Journal.class);
            var response = TestHttps.get(context, "/hello?name=Ada");

            assertThat(response.body()).isEqualTo("Hello, Ada!");
            assertThat(response.headers().firstValue("X-After")).hasValue("second");
            await("the journal has 7 entries")
                    .atMost(DEADLINE)
                    .until(() -> journal.entries().size() >= 7);
            assertThat(journal.entries())
                    .containsExactly(
                            "first before GET /hello",
                            "second before GET /hello",
                            "handler",
                            "second after",
                            "first after",
                            "second completed: none",
                            "first completed: none");
        });
    }

    @Test
    void aBeforeThatAnswersStopsTheChainAndOnlyTheEarlierCompletedRun() {
        runner.run(context -> {
            Journal journal = context.getBean(Journal.class);
            var response = send(request(context, "/hello?name=Ada").header("X-Stop", "yes"));

            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.body()).isEqualTo("stopped by second");
            await("the journal has 3 entries")
                    .atMost(DEADLINE)
                    .until(() -> journal.entries().size() >= 3);
            assertThat(journal.entries())
                    .containsExactly("first before GET /hello", "second before GET /hello", "first completed: none");
        });
    }

    @Test
    void completedSeesTheFailureAndAfterDoesNotRun() {
        runner.run(context -> {
            Journal journal = context.getBean(Journal.class);
            assertThat(TestHttps.get(context, "/hello").statusCode()).isEqualTo(400);
            await("the journal has 4 entries")
                    .atMost(DEADLINE)
                    .until(() -> journal.entries().size() >= 4);
            assertThat(journal.entries())
                    .containsExactly(
                            "first before GET /hello",
                            "second before GET /hello",
                            "second completed: RequestBindingException",
                            "first completed: RequestBindingException");
        });
    }

    @Test
    void theChainRunsAroundHandlerBeansAndAnInterceptorMayKeepToSomeHandlers() {
        runner.run(context -> {
            Journal journal = context.getBean(Journal.class);
            assertThat(TestHttps.get(context, "/bean").body()).isEqualTo("bean");
            await("the journal has 4 entries")
                    .atMost(DEADLINE)
                    .until(() -> journal.entries().size() >= 4);
            assertThat(journal.entries())
                    .as("the second interceptor applies to /hello only")
                    .containsExactly("first before GET /bean", "bean handler", "first after", "first completed: none");
        });
    }

    /** What the interceptors and handlers saw, in order. */
    static class Journal {
        private final List<String> entries = new CopyOnWriteArrayList<>();

        void add(String entry) {
            entries.add(entry);
        }

        List<String> entries() {
            return entries;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        @GetUri("/hello")
        String hello(@QueryValue String name, HandlerInvocation invocation) {
            ((Journal) invocation.attribute("journal")).add("handler");
            return "Hello, " + name + "!";
        }

        @Bean
        UriHandler bean(Journal journal) {
            return UriHandler.of("/bean", HttpMethod.GET, (request, response) -> {
                journal.add("bean handler");
                response.send("bean");
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Interceptors {
        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        @Order(20)
        RequestInterceptor second(Journal journal) {
            return new RequestInterceptor() {
                @Override
                public boolean appliesTo(MappedHandler handler) {
                    return handler.uri().equals("/hello");
                }

                @Override
                public boolean before(HttpRequest request, HttpResponse response, HandlerInvocation invocation)
                        throws Exception {
                    journal.add("second before " + invocation.handler().method() + " "
                            + invocation.handler().uri());
                    if (request.header("X-Stop").isPresent()) {
                        response.status(429).send("stopped by second");
                        return false;
                    }
                    return true;
                }

                @Override
                public void after(HttpRequest request, HttpResponse response, HandlerInvocation invocation) {
                    journal.add("second after");
                    response.header("X-After", "second");
                }

                @Override
                public void completed(
                        HttpRequest request, HttpResponse response, HandlerInvocation invocation, Throwable failure) {
                    journal.add("second completed: "
                            + (failure == null ? "none" : failure.getClass().getSimpleName()));
                }
            };
        }

        @Bean
        @Order(10)
        RequestInterceptor first(Journal journal) {
            return new RequestInterceptor() {
                @Override
                public boolean before(HttpRequest request, HttpResponse response, HandlerInvocation invocation) {
                    journal.add("first before " + invocation.handler().method() + " "
                            + invocation.handler().uri());
                    invocation.setAttribute("journal", journal);
                    return true;
                }

                @Override
                public void after(HttpRequest request, HttpResponse response, HandlerInvocation invocation) {
                    journal.add("first after");
                }

                @Override
                public void completed(
                        HttpRequest request, HttpResponse response, HandlerInvocation invocation, Throwable failure) {
                    journal.add("first completed: "
                            + (failure == null ? "none" : failure.getClass().getSimpleName()));
                }
            };
        }
    }
}
