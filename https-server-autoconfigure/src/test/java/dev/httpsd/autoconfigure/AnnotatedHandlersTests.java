package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** {@link UriHandlerBean} classes and {@link UriMapping} methods become URI handlers that answer. */
class AnnotatedHandlersTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void uriHandlerBeanClassIsRegisteredWithItsUriMethodAndUserContext() {
        runner.withUserConfiguration(ClassHandlers.class).run(context -> {
            assertThat(server(context).httpServer().uriHandlers())
                    .filteredOn(handler -> handler.uri().equals("/class"))
                    .singleElement()
                    .satisfies(handler -> {
                        assertThat(handler.method()).isEqualTo(HttpMethod.GET);
                        assertThat(handler.userContext()).isEqualTo("class context");
                        assertThat(handler.handler()).isSameAs(context.getBean(ClassHandler.class));
                    });
        });
    }

    @Test
    void uriHandlerBeanClassAnswersRequests() {
        runner.withUserConfiguration(ClassHandlers.class).run(context -> {
            var response = TestHttps.get(context, "/class");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("class handler with class context");
        });
    }

    @Test
    void severalMethodsOnOneAnnotationRegisterOneHandlerEach() {
        runner.withUserConfiguration(ClassHandlers.class).run(context -> {
            assertThat(server(context).httpServer().uriHandlers())
                    .filteredOn(handler -> handler.uri().equals("/multi"))
                    .extracting(UriHandler::method)
                    .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.POST);
            try (HttpClient client = TestHttps.client(null)) {
                var post = client.send(
                        java.net.http.HttpRequest.newBuilder(uri(context, "/multi"))
                                .POST(BodyPublishers.ofString("x"))
                                .build(),
                        BodyHandlers.ofString());
                assertThat(post.body()).isEqualTo("multi POST");
                assertThat(TestHttps.get(client, TestHttps.port(context), "/multi")
                                .body())
                        .isEqualTo("multi GET");
            }
        });
    }

    @Test
    void methodWithoutParametersReturningStringSendsIt() {
        runner.withUserConfiguration(MappedMethods.class)
                .run(context ->
                        assertThat(TestHttps.get(context, "/none").body()).isEqualTo("no parameters"));
    }

    @Test
    void methodTakingTheRequestReturningStringSeesTheRequest() {
        runner.withUserConfiguration(MappedMethods.class)
                .run(context -> assertThat(
                                TestHttps.get(context, "/request?name=Ada").body())
                        .isEqualTo("Hello Ada"));
    }

    @Test
    void methodTakingTheResponseWritesIt() {
        runner.withUserConfiguration(MappedMethods.class).run(context -> {
            var response = TestHttps.get(context, "/response");
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.body()).isEqualTo("written");
        });
    }

    @Test
    void methodTakingRequestAndResponseInEitherOrderIsInvoked() {
        runner.withUserConfiguration(MappedMethods.class).run(context -> {
            assertThat(TestHttps.get(context, "/both").body()).isEqualTo("both /both");
            assertThat(TestHttps.get(context, "/reversed").body()).isEqualTo("reversed /reversed");
        });
    }

    @Test
    void byteArrayReturnIsSentByteForByte() {
        runner.withUserConfiguration(MappedMethods.class).run(context -> {
            try (HttpClient client = TestHttps.client(null)) {
                var response = client.send(
                        java.net.http.HttpRequest.newBuilder(uri(context, "/bytes"))
                                .build(),
                        BodyHandlers.ofByteArray());
                assertThat(response.body()).containsExactly(0, 1, 2, (byte) 0xff);
            }
        });
    }

    @Test
    void returnedStringIsIgnoredWhenTheMethodAlreadySentTheResponse() {
        runner.withUserConfiguration(MappedMethods.class)
                .run(context ->
                        assertThat(TestHttps.get(context, "/sent").body()).isEqualTo("sent first"));
    }

    @Test
    void userContextOfAMappingReachesTheRequest() {
        runner.withUserConfiguration(MappedMethods.class)
                .run(context ->
                        assertThat(TestHttps.get(context, "/context").body()).isEqualTo("context: mapping context"));
    }

    @Test
    void mappingWithoutUserContextHasNone() {
        runner.withUserConfiguration(MappedMethods.class)
                .run(context -> assertThat(server(context).httpServer().uriHandlers())
                        .filteredOn(handler -> handler.uri().equals("/none"))
                        .singleElement()
                        .extracting(UriHandler::userContext)
                        .isNull());
    }

    @Test
    void exceptionThrownByAMappedMethodIsAnswered500() {
        runner.withUserConfiguration(MappedMethods.class)
                .run(context -> assertThat(TestHttps.get(context, "/fails").statusCode())
                        .isEqualTo(500));
    }

    private static URI uri(org.springframework.context.ApplicationContext context, String path) {
        return URI.create("https://localhost:" + TestHttps.port(context) + path);
    }

    @UriHandlerBean(uri = "/class", userContext = "class context")
    static class ClassHandler implements RequestHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws IOException {
            response.send("class handler with " + request.userContext());
        }
    }

    @UriHandlerBean(
            uri = "/multi",
            method = {HttpMethod.GET, HttpMethod.POST})
    static class MultiMethodHandler implements RequestHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws IOException {
            response.send("multi " + request.method());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import({ClassHandler.class, MultiMethodHandler.class})
    static class ClassHandlers {}

    @Configuration(proxyBeanMethods = false)
    static class MappedMethods {

        @UriMapping(uri = "/none")
        String none() {
            return "no parameters";
        }

        @UriMapping(uri = "/request")
        String request(HttpRequest request) {
            return "Hello " + request.decodedQueryValue("name").orElse("?");
        }

        @UriMapping(uri = "/response")
        void response(HttpResponse response) throws IOException {
            response.status(201).send("written");
        }

        @UriMapping(uri = "/both")
        void both(HttpRequest request, HttpResponse response) throws IOException {
            response.send("both " + request.path());
        }

        @UriMapping(uri = "/reversed")
        String reversed(HttpResponse response, HttpRequest request) {
            return "reversed " + request.path();
        }

        @UriMapping(uri = "/bytes")
        byte[] bytes() {
            return new byte[] {0, 1, 2, (byte) 0xff};
        }

        @UriMapping(uri = "/sent")
        String sent(HttpResponse response) throws IOException {
            response.send("sent first");
            return "returned later";
        }

        @UriMapping(uri = "/context", userContext = "mapping context")
        byte[] context(HttpRequest request) {
            return ("context: " + request.userContext()).getBytes(StandardCharsets.UTF_8);
        }

        @UriMapping(uri = "/fails")
        String fails() throws IOException {
            throw new IOException("handler failure");
        }

        @Bean
        String unrelatedBean() {
            return "not a handler";
        }
    }
}
