package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.handler.Body;
import dev.httpsd.autoconfigure.handler.ExceptionMapping;
import dev.httpsd.autoconfigure.handler.HeaderValue;
import dev.httpsd.autoconfigure.handler.QueryValue;
import dev.httpsd.autoconfigure.handler.UriVariable;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/** Misused handler annotations stop the application at startup with a message naming the culprit. */
class AnnotatedHandlerFailureTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    static Stream<Arguments> badSignatures() {
        return Stream.of(
                Arguments.of(
                        UnsupportedParameter.class,
                        "UnsupportedParameter.greet",
                        "parameter 'name' (java.lang.String) cannot be bound: annotate it with @UriVariable"),
                Arguments.of(
                        UnknownPathVariable.class,
                        "UnknownPathVariable.item",
                        "is bound to the path variable 'item', which the URI template does not have (its variables: [id])"),
                Arguments.of(
                        TwoBodies.class, "TwoBodies.twice", "more than one parameter is bound to the request body"),
                Arguments.of(
                        OptionalPrimitive.class,
                        "OptionalPrimitive.page",
                        "is an optional query parameter of primitive type int, which cannot be empty"),
                Arguments.of(
                        TwoBindings.class,
                        "TwoBindings.both",
                        "has [@QueryValue, @HeaderValue]: one binding annotation"),
                Arguments.of(
                        ObjectAsText.class,
                        "ObjectAsText.item",
                        "it returns Item, which is written as JSON, but produces text/plain"),
                Arguments.of(BadMediaType.class, "BadMediaType.item", "'not a type' in produces is not a media type"),
                Arguments.of(
                        ValidWithoutValidator.class,
                        "ValidWithoutValidator.create",
                        "is to be validated, but the application has no jakarta.validation.Validator:"
                                + " add spring-boot-starter-validation"),
                Arguments.of(
                        BadDefault.class,
                        "BadDefault.page",
                        "the defaultValue 'first' of parameter 'page' (int) is not a int"),
                Arguments.of(
                        WebSocketWithBinding.class,
                        "WebSocketWithBinding.frames",
                        "must take HttpRequest and/or HttpResponse and return void"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSignatures")
    void aMappedMethodThatCannotBeServedFailsStartupNamingBeanMethodAndWhy(
            Class<?> fixture, String method, String why) {
        runner.withUserConfiguration(fixture).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains(
                            "@UriMapping method " + method + " of bean '" + beanName(fixture) + "' cannot be served: ")
                    .contains(why);
        });
    }

    @Test
    void aClassLevelMappingThatSetsMoreThanAPrefixFailsNamingTheClass() {
        runner.withUserConfiguration(ClassLevelMethod.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("@UriMapping on class " + ClassLevelMethod.class.getName())
                    .contains("on a class only uri, produces and consumes apply");
        });
    }

    @Test
    void adviceWithoutAnExceptionTypeFailsNamingTheMethod() {
        runner.withUserConfiguration(AdviceWithoutType.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("@ExceptionMapping method AdviceWithoutType.nothing of bean '"
                            + beanName(AdviceWithoutType.class) + "' names no exception type");
        });
    }

    @Test
    void bracesThatAreNotATemplateFailNamingTheMethod() {
        runner.withUserConfiguration(BadTemplate.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("Cannot register GET /items/{id}.json from method BadTemplate.item")
                    .contains("a variable is a whole path segment");
        });
    }

    @Test
    void uriHandlerBeanOnAClassThatIsNotARequestHandlerFailsNamingTheBean() {
        runner.withUserConfiguration(NotAHandlerConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("Bean 'notAHandler'")
                    .hasMessageContaining(NotAHandler.class.getName())
                    .hasMessageContaining("does not implement " + RequestHandler.class.getName());
        });
    }

    @Test
    void duplicateRegistrationFailsNamingBothOrigins() {
        runner.withUserConfiguration(DuplicateConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("Cannot register GET /dup from bean 'secondDuplicate'")
                    .contains("(registered by method FirstDuplicate.dup of bean 'firstDuplicate')");
        });
    }

    @Test
    void emptyUriFailsNamingTheMethod() {
        runner.withUserConfiguration(EmptyUri.class)
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .hasMessageContaining("The URI of method EmptyUri.empty of bean '" + beanName(EmptyUri.class)
                                + "' is empty"));
    }

    @Test
    void noHttpMethodFailsNamingTheMethod() {
        runner.withUserConfiguration(NoMethod.class)
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .hasMessageContaining("No HTTP method given for method NoMethod.nothing of bean '"
                                + beanName(NoMethod.class) + "'"));
    }

    @Test
    void moreHandlersThanMaxUriHandlersFailsNamingTheOneThatDidNotFit() {
        runner.withPropertyValues("https-server.max-uri-handlers=1")
                .withUserConfiguration(TwoHandlers.class)
                .run(context -> assertThat(messages(context.getStartupFailure()))
                        .containsPattern("Cannot register GET /(one|two) from method TwoHandlers\\.(one|two) of bean '"
                                + beanName(TwoHandlers.class) + "': all 1 URI handler slots are taken"));
    }

    /** The name the context runner gives a user configuration class. */
    private static String beanName(Class<?> fixture) {
        return "annotatedHandlerFailureTests." + fixture.getSimpleName();
    }

    /** Every message along the cause chain: the names may sit on a wrapper of the root cause. */
    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class UnsupportedParameter {
        @UriMapping(uri = "/x")
        String greet(String name) {
            return name;
        }
    }

    record Item(String name) {}

    @Configuration(proxyBeanMethods = false)
    static class UnknownPathVariable {
        @GetUri("/items/{id}")
        String item(@UriVariable String item) {
            return item;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoBodies {
        @PostUri("/x")
        String twice(@Body String first, @Body byte[] second) {
            return first;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OptionalPrimitive {
        @GetUri("/x")
        String page(@QueryValue(required = false) int page) {
            return "" + page;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoBindings {
        @GetUri("/x")
        String both(@QueryValue @HeaderValue String both) {
            return both;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ObjectAsText {
        @GetUri(value = "/x", produces = "text/plain")
        Item item() {
            return new Item("x");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadMediaType {
        @GetUri(value = "/x", produces = "not a type")
        Item item() {
            return new Item("x");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ValidWithoutValidator {
        @PostUri("/x")
        Item create(@Body @jakarta.validation.Valid Item item) {
            return item;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadDefault {
        @GetUri("/x")
        String page(@QueryValue(defaultValue = "first") int page) {
            return "" + page;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WebSocketWithBinding {
        @UriMapping(uri = "/ws", webSocket = true)
        String frames(HttpRequest request) {
            return "";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @UriMapping(value = "/api", method = HttpMethod.POST)
    static class ClassLevelMethod {
        @GetUri("/x")
        String x() {
            return "";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AdviceWithoutType {
        @ExceptionMapping
        String nothing() {
            return "";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadTemplate {
        @GetUri("/items/{id}.json")
        String item() {
            return "";
        }
    }

    @UriHandlerBean(uri = "/x")
    static class NotAHandler {}

    static class FirstDuplicate {
        @UriMapping(uri = "/dup")
        String dup() {
            return "first";
        }
    }

    @UriHandlerBean(uri = "/dup")
    static class SecondDuplicate implements RequestHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws Exception {
            response.send("second");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NotAHandlerConfiguration {
        @Bean
        NotAHandler notAHandler() {
            return new NotAHandler();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateConfiguration {
        @Bean
        FirstDuplicate firstDuplicate() {
            return new FirstDuplicate();
        }

        @Bean
        SecondDuplicate secondDuplicate() {
            return new SecondDuplicate();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EmptyUri {
        @UriMapping(uri = "")
        String empty() {
            return "";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NoMethod {
        @UriMapping(
                uri = "/nothing",
                method = {})
        String nothing() {
            return "";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoHandlers {
        @UriMapping(uri = "/one")
        String one() {
            return "1";
        }

        @UriMapping(uri = "/two")
        String two() {
            return "2";
        }
    }
}
