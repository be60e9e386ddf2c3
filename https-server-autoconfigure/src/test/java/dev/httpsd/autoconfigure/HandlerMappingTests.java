package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.request;
import static dev.httpsd.autoconfigure.TestHttps.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.handler.UriVariable;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.UriHandler;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The mapping annotations as Spring developers know them: {@code value}, composed {@code @GetUri}
 * and friends, a class-level prefix, {@code @Bean UriHandler}s, safe content types, and a
 * registration order that decides which handler serves a path whatever the bean order.
 */
class HandlerMappingTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void composedAnnotationsServeTheirMethodAndValueIsTheUri() {
        runner.withUserConfiguration(Composed.class).run(context -> {
            assertThat(server(context).httpServer().uriHandlers())
                    .extracting(handler -> handler.method() + " " + handler.uri())
                    .contains(
                            "GET /composed",
                            "POST /composed",
                            "PUT /composed",
                            "DELETE /composed",
                            "PATCH /composed",
                            "GET /value");
            try (HttpClient client = TestHttps.client(null)) {
                for (String method : new String[] {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
                    var response = client.send(
                            request(context, "/composed")
                                    .method(method, BodyPublishers.noBody())
                                    .build(),
                            BodyHandlers.ofString());
                    assertThat(response.body()).isEqualTo(method.toLowerCase());
                }
            }
            assertThat(TestHttps.get(context, "/value").body()).isEqualTo("value alias");
        });
    }

    @Test
    void aClassLevelPrefixJoinsEachMethodsUriAndAnEmptyOneIsThePrefixItself() {
        runner.withUserConfiguration(Prefixed.class).run(context -> {
            assertThat(server(context).httpServer().uriHandlers())
                    .extracting(handler -> handler.method() + " " + handler.uri())
                    .contains("GET /api/items", "GET /api/items/{id}", "POST /api/items/slashless");
            assertThat(TestHttps.get(context, "/api/items").body()).isEqualTo("all");
            assertThat(TestHttps.get(context, "/api/items/7").body()).isEqualTo("item 7");
        });
    }

    @Test
    void aClassLevelProducesIsTheDefaultOfEveryMethod() {
        runner.withUserConfiguration(Prefixed.class).run(context -> {
            var response = TestHttps.get(context, "/api/items/7");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
        });
    }

    @Test
    void aStringIsPlainTextInUtf8AndBytesAreAnOctetStreamUnlessProducesSaysOtherwise() {
        runner.withUserConfiguration(ContentTypes.class).run(context -> {
            var text = TestHttps.get(context, "/text?name=%3Cscript%3E");
            assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
            assertThat(text.body()).isEqualTo("Hello <script>");
            assertThat(TestHttps.get(context, "/bytes").headers().firstValue("Content-Type"))
                    .hasValue("application/octet-stream");
            assertThat(TestHttps.get(context, "/html").headers().firstValue("Content-Type"))
                    .hasValue("text/html;charset=UTF-8");
            assertThat(TestHttps.get(context, "/set-by-handler").headers().firstValue("Content-Type"))
                    .hasValue("text/markdown");
        });
    }

    @Test
    void aReturnedPathIsSentAsThatFileWithItsLengthAndAMissingFileIs404(@TempDir Path dir) throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Files.write(dir.resolve("data.bin"), content);
        runner.withUserConfiguration(FileHandlers.class)
                .withPropertyValues("test.files=" + dir)
                .run(context -> {
                    try (HttpClient client = TestHttps.client(null)) {
                        var file =
                                client.send(request(context, "/files/data.bin").build(), BodyHandlers.ofByteArray());
                        assertThat(file.statusCode()).isEqualTo(200);
                        assertThat(file.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
                        assertThat(file.headers().firstValue("Content-Length")).hasValue("300000");
                        assertThat(file.body()).isEqualTo(content);
                        var missing = client.send(
                                request(context, "/files/nothing.bin").build(), BodyHandlers.ofString());
                        assertThat(missing.statusCode()).isEqualTo(404);
                        assertThat(missing.body()).contains("No such file").doesNotContain(dir.toString());
                    }
                });
    }

    @Test
    void uriHandlerBeansAreRegisteredToo() {
        runner.withUserConfiguration(HandlerBeans.class).run(context -> {
            assertThat(server(context).httpServer().uriHandlers())
                    .extracting(handler -> handler.method() + " " + handler.uri())
                    .contains("GET /bean", "DELETE /bean/{id}");
            assertThat(TestHttps.get(context, "/bean").body()).isEqualTo("from a UriHandler bean");
            try (HttpClient client = TestHttps.client(null)) {
                var deleted = client.send(request(context, "/bean/9").DELETE().build(), BodyHandlers.ofString());
                assertThat(deleted.body()).isEqualTo("deleted 9");
            }
        });
    }

    @Test
    void exactUrisComeBeforeTemplatesWhateverTheBeanOrder() {
        runner.withUserConfiguration(TemplateFirst.class, ExactSecond.class).run(context -> {
            assertThat(TestHttps.get(context, "/items/new").body()).isEqualTo("the form");
            assertThat(TestHttps.get(context, "/items/42").body()).isEqualTo("item 42");
            assertThat(uris(context)).containsSubsequence("/items/new", "/items/{id}");
        });
    }

    @Test
    void templatesWithFewerVariablesComeFirstAndARestVariableLast() {
        runner.withUserConfiguration(Specificity.class).run(context -> {
            assertThat(uris(context))
                    .containsSubsequence("/files/{owner}/readme", "/files/{owner}/{name}", "/files/{*path}");
            assertThat(TestHttps.get(context, "/files/ada/readme").body()).isEqualTo("readme of ada");
            assertThat(TestHttps.get(context, "/files/ada/notes").body()).isEqualTo("notes of ada");
            assertThat(TestHttps.get(context, "/files/ada/notes/old").body()).isEqualTo("path /ada/notes/old");
        });
    }

    @Test
    void exactUrisThenTemplatesThenEspWildcards() {
        runner.withPropertyValues("https-server.uri-match=wildcard")
                .withUserConfiguration(WithWildcard.class)
                .run(context -> {
                    assertThat(uris(context)).containsSubsequence("/api/status", "/api/{name}", "/api/*");
                    assertThat(TestHttps.get(context, "/api/status").body()).isEqualTo("exact");
                    assertThat(TestHttps.get(context, "/api/x").body()).isEqualTo("template x");
                    assertThat(TestHttps.get(context, "/api/x/y").body()).isEqualTo("wildcard");
                });
    }

    @Test
    void betweenEquallySpecificTemplatesTheOrderAttributeThenOrderDecides() {
        runner.withUserConfiguration(Tiebreaks.class).run(context -> {
            // /a/b/c matches both /a/{x}/c and /a/b/{y}
            assertThat(TestHttps.get(context, "/a/b/c").body()).isEqualTo("second declared, order 1");
            assertThat(TestHttps.get(context, "/m/b/c").body()).isEqualTo("@Order(2)");
        });
    }

    private static java.util.List<String> uris(ApplicationContext context) {
        return server(context).httpServer().uriHandlers().stream()
                .map(UriHandler::uri)
                .toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class Composed {
        @GetUri("/composed")
        String get() {
            return "get";
        }

        @PostUri("/composed")
        String post() {
            return "post";
        }

        @PutUri(uri = "/composed")
        String put() {
            return "put";
        }

        @DeleteUri("/composed")
        String delete() {
            return "delete";
        }

        @PatchUri("/composed")
        String patch() {
            return "patch";
        }

        @UriMapping("/value")
        String value() {
            return "value alias";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @UriMapping(value = "/api/items", produces = "text/csv")
    static class Prefixed {
        @GetUri
        String all() {
            return "all";
        }

        @GetUri("/{id}")
        String item(@UriVariable long id) {
            return "item " + id;
        }

        @PostUri("slashless")
        String slashless() {
            return "";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ContentTypes {
        @GetUri("/text")
        String text(@dev.httpsd.autoconfigure.handler.QueryValue String name) {
            return "Hello " + name;
        }

        @GetUri("/bytes")
        byte[] bytes() {
            return new byte[] {1, 2};
        }

        @GetUri(value = "/html", produces = "text/html")
        String html() {
            return "<p>chosen on purpose</p>";
        }

        @GetUri("/set-by-handler")
        String setByHandler(HttpResponse response) {
            response.contentType("text/markdown");
            return "# set";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FileHandlers {
        private final Path dir;

        FileHandlers(@Value("${test.files}") String dir) {
            this.dir = Path.of(dir);
        }

        @GetUri("/files/{name}")
        Path file(@UriVariable String name) {
            return dir.resolve(name);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerBeans {
        @Bean
        UriHandler plainBean() {
            return UriHandler.of("/bean", HttpMethod.GET, (req, resp) -> resp.send("from a UriHandler bean"));
        }

        @Bean
        UriHandler templateBean() {
            return UriHandler.of(
                    "/bean/{id}",
                    HttpMethod.DELETE,
                    (req, resp) -> resp.send("deleted " + req.pathVariable("id").orElseThrow()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TemplateFirst {
        @GetUri("/items/{id}")
        String item(@UriVariable String id) {
            return "item " + id;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ExactSecond {
        @GetUri("/items/new")
        String form() {
            return "the form";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Specificity {
        @GetUri("/files/{*path}")
        String rest(@UriVariable String path) {
            return "path " + path;
        }

        @GetUri("/files/{owner}/{name}")
        String named(@UriVariable String owner, @UriVariable String name) {
            return name + " of " + owner;
        }

        @GetUri("/files/{owner}/readme")
        String readme(@UriVariable String owner) {
            return "readme of " + owner;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WithWildcard {
        @GetUri("/api/*")
        String wildcard() {
            return "wildcard";
        }

        @GetUri("/api/{name}")
        String template(@UriVariable String name) {
            return "template " + name;
        }

        @GetUri("/api/status")
        String exact() {
            return "exact";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Tiebreaks {
        @GetUri("/a/{x}/c")
        String first() {
            return "first declared";
        }

        @GetUri(value = "/a/b/{y}", order = 1)
        String second() {
            return "second declared, order 1";
        }

        @GetUri("/m/{x}/c")
        @Order(3)
        String orderThree() {
            return "@Order(3)";
        }

        @GetUri("/m/b/{y}")
        @Order(2)
        String orderTwo() {
            return "@Order(2)";
        }
    }

    @Test
    void aPrefixAndAUriJoinWithOneSlash() {
        assertThat(AnnotatedHandlers.join("/api/", "/items")).isEqualTo("/api/items");
        assertThat(AnnotatedHandlers.join("/api", "items")).isEqualTo("/api/items");
        assertThat(AnnotatedHandlers.join("/api/", "")).isEqualTo("/api/");
        assertThat(AnnotatedHandlers.join("", "/items")).isEqualTo("/items");
    }
}
