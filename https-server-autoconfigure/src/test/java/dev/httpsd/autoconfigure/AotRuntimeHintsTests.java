package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Ahead-of-time processing of an application with the auto-configuration records what a native
 * image needs to serve its handlers: invocation of every {@code @UriMapping} method, which is
 * called reflectively, and the proxy behind {@link HttpsServerInitializedEvent}'s context.
 */
class AotRuntimeHintsTests {

    @Test
    void aheadOfTimeProcessingRegistersUriMappingMethodsForInvocationAndTheNamespaceProxy() {
        RuntimeHints hints = processAheadOfTime();

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Greetings.class, "hello"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Greetings.class, "echo"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.proxies()
                        .forInterfaces(WebServerApplicationContext.class, ConfigurableApplicationContext.class))
                .accepts(hints);
    }

    @Test
    void theTypesAMethodReadsAndWritesAsJsonAreRegisteredForBinding() {
        RuntimeHints hints = processAheadOfTime();

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Greetings.class, "greet"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(NewGreeting.class))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Greeting.class)).accepts(hints);
    }

    @Test
    void aMethodWithoutUriMappingGetsNoInvocationHint() {
        RuntimeHints hints = processAheadOfTime();

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Greetings.class, "notMapped"))
                .rejects(hints);
    }

    private static RuntimeHints processAheadOfTime() {
        GenericApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(Greetings.class);
        context.registerBean(HttpsServerAutoConfiguration.class);
        TestGenerationContext generation = new TestGenerationContext();
        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        return generation.getRuntimeHints();
    }

    static class Greetings {
        @UriMapping(uri = "/hello")
        String hello() {
            return "hello";
        }

        @UriMapping(uri = "/echo", method = dev.httpsd.server.HttpMethod.POST)
        void echo(dev.httpsd.server.HttpRequest request, dev.httpsd.server.HttpResponse response) {}

        @PostUri("/greetings")
        Greeting greet(@dev.httpsd.autoconfigure.handler.Body NewGreeting request) {
            return new Greeting("Hello, " + request.name() + "!");
        }

        String notMapped() {
            return "";
        }
    }

    record NewGreeting(String name) {}

    record Greeting(String greeting) {}
}
