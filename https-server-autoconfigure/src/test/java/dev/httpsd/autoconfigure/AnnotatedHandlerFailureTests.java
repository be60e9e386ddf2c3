package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import java.util.Optional;
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
                Arguments.of(UnsupportedParameter.class, "UnsupportedParameter.greet"),
                Arguments.of(RepeatedParameter.class, "RepeatedParameter.twice"),
                Arguments.of(TooManyParameters.class, "TooManyParameters.three"),
                Arguments.of(UnsupportedReturn.class, "UnsupportedReturn.number"),
                Arguments.of(OptionalReturn.class, "OptionalReturn.maybe"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSignatures")
    void badUriMappingSignatureFailsStartupNamingBeanAndMethod(Class<?> fixture, String method) {
        runner.withUserConfiguration(fixture).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("@UriMapping method " + method + " of bean '" + beanName(fixture) + "'")
                    .hasMessageContaining("unsupported signature");
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

    @Configuration(proxyBeanMethods = false)
    static class RepeatedParameter {
        @UriMapping(uri = "/x")
        String twice(HttpRequest first, HttpRequest second) {
            return "";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TooManyParameters {
        @UriMapping(uri = "/x")
        void three(HttpRequest request, HttpResponse response, HttpRequest again) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class UnsupportedReturn {
        @UriMapping(uri = "/x")
        int number() {
            return 1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OptionalReturn {
        @UriMapping(uri = "/x")
        Optional<String> maybe() {
            return Optional.empty();
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
