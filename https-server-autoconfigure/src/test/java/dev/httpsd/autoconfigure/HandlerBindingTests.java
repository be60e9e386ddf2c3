package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.request;
import static dev.httpsd.autoconfigure.TestHttps.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.handler.Body;
import dev.httpsd.autoconfigure.handler.Cookie;
import dev.httpsd.autoconfigure.handler.HandlerInvocation;
import dev.httpsd.autoconfigure.handler.HeaderValue;
import dev.httpsd.autoconfigure.handler.QueryValue;
import dev.httpsd.autoconfigure.handler.Reply;
import dev.httpsd.autoconfigure.handler.UriVariable;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.TlsSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every kind of argument a handler method takes, bound from a real HTTPS request; what binding
 * cannot do is answered 400 (or 406, 413, 415) with a message naming the part, as JSON when the
 * client takes JSON, never a 500.
 */
class HandlerBindingTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    ValidationAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0", "https-server.codec.max-in-memory-size=1KB")
            .withPropertyValues(TestHttps.inlineServerMaterial())
            .withUserConfiguration(Handlers.class);

    @Test
    void pathVariablesAreDecodedAndConverted() {
        runner.run(context -> {
            UUID id = UUID.randomUUID();
            assertThat(TestHttps.get(context, "/users/Ad%C3%A9/orders/17/" + id + "/PAID")
                            .body())
                    .isEqualTo("Adé 17 " + id + " PAID");
        });
    }

    @Test
    void aPathVariableThatDoesNotConvertIs400NamingIt() {
        runner.run(context -> {
            var response = TestHttps.get(context, "/users/ada/orders/seventeen/" + UUID.randomUUID() + "/PAID");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("status").asInt()).isEqualTo(400);
            assertThat(problem.get("title").asString()).isEqualTo("Bad Request");
            assertThat(problem.get("detail").asString())
                    .isEqualTo("The path variable 'order' is not a valid long: 'seventeen'");
            assertThat(problem.get("instance").asString()).startsWith("/users/ada/orders/seventeen/");
        });
    }

    @Test
    void queryParametersAreRequiredUnlessOptionalOrDefaulted() {
        runner.run(context -> {
            assertThat(TestHttps.get(context, "/search?q=caf%C3%A9+cr%C3%A8me&page=2&tag=a&tag=b")
                            .body())
                    .isEqualTo("q=café crème page=2 size=20 tags=[a, b] sort=none");
            assertThat(TestHttps.get(context, "/search?q=x&size=5&sort=name").body())
                    .isEqualTo("q=x page=1 size=5 tags=[] sort=name");
            var missing = TestHttps.get(context, "/search?page=2");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(missing.body()).get("detail").asString())
                    .isEqualTo("Required query parameter 'q' is missing");
            var wrong = TestHttps.get(context, "/search?q=x&page=two");
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(wrong.body()).get("detail").asString())
                    .isEqualTo("The query parameter 'page' is not a valid int: 'two'");
        });
    }

    @Test
    void headersAndCookiesAreBound() throws Exception {
        runner.run(context -> {
            var response = send(request(context, "/headers")
                    .header("X-Trace", "t-1")
                    .header("X-Tag", "a")
                    .header("X-Tag", "b")
                    .header("Cookie", "theme=dark; session=\"s-42\""));
            assertThat(response.body()).isEqualTo("trace=t-1 tags=[a, b] session=s-42 theme=dark missing=empty");
            var noTrace = send(request(context, "/headers").header("Cookie", "session=s"));
            assertThat(noTrace.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(noTrace.body()).get("detail").asString())
                    .isEqualTo("Required header 'X-Trace' is missing");
            var noCookie = send(request(context, "/headers").header("X-Trace", "t"));
            assertThat(JSON.readTree(noCookie.body()).get("detail").asString())
                    .isEqualTo("Required cookie 'session' is missing");
        });
    }

    @Test
    void bodiesAreBoundAsBytesTextAndStream() {
        runner.run(context -> {
            var bytes = send(request(context, "/body/bytes").POST(BodyPublishers.ofByteArray(new byte[] {1, 2, 3})));
            assertThat(bytes.body()).isEqualTo("3 bytes");
            var latin1 = send(request(context, "/body/text")
                    .header("Content-Type", "text/plain; charset=ISO-8859-1")
                    .POST(BodyPublishers.ofByteArray("café".getBytes(StandardCharsets.ISO_8859_1))));
            assertThat(latin1.body()).isEqualTo("text café");
            var utf8 = send(request(context, "/body/text").POST(BodyPublishers.ofString("naïve")));
            assertThat(utf8.body()).isEqualTo("text naïve");
            var stream = send(request(context, "/body/stream").POST(BodyPublishers.ofByteArray(new byte[5000])));
            assertThat(stream.body()).isEqualTo("streamed 5000");
        });
    }

    @Test
    void aJsonBodyIsReadAndAnObjectIsWrittenAsJson() {
        runner.run(context -> {
            var response = send(request(context, "/greetings")
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"name\":\"Ada\",\"languages\":[\"en\",\"fr\"]}")));
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.headers().firstValue("Location")).hasValue("/greetings/Ada");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(JSON.readTree(response.body()).get("greeting").asString())
                    .isEqualTo("Hello, Ada! (en, fr)");
        });
    }

    @Test
    void malformedJsonIs400SayingWhere() {
        runner.run(context -> {
            var response = send(request(context, "/greetings")
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"name\": Ada}")));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("detail").asString())
                    .startsWith("Malformed JSON in the request body at line 1, column ")
                    .contains("Ada");
        });
    }

    @Test
    void jsonOfTheWrongShapeIs400NamingTheField() {
        runner.run(context -> {
            var response = send(request(context, "/greetings")
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"name\":\"Ada\",\"languages\":{\"a\":1}}")));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("detail").asString())
                    .startsWith("The request body does not fit NewGreeting at 'languages'");
        });
    }

    @Test
    void aMissingBodyIs400AndAnotherContentTypeIs415() {
        runner.run(context -> {
            var missing = send(request(context, "/greetings")
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.noBody()));
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(missing.body()).get("detail").asString())
                    .isEqualTo("Required request body is missing");
            var form = send(request(context, "/greetings")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(BodyPublishers.ofString("name=Ada")));
            assertThat(form.statusCode()).isEqualTo(415);
            assertThat(JSON.readTree(form.body()).get("detail").asString())
                    .isEqualTo("Content-Type 'application/x-www-form-urlencoded' is not supported: the body is read as"
                            + " JSON, send Content-Type: application/json");
        });
    }

    @Test
    void aBodyLargerThanTheInMemoryLimitIs413() {
        runner.run(context -> {
            var response = send(request(context, "/body/bytes").POST(BodyPublishers.ofByteArray(new byte[2048])));
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(response.body()).get("detail").asString())
                    .contains("(https-server.codec.max-in-memory-size)");
        });
    }

    @Test
    void anInvalidBodyIs400ListingEveryViolation() {
        runner.run(context -> {
            var response = send(request(context, "/greetings")
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"name\":\" \",\"languages\":[\"en\",\"fr\",\"de\",\"it\"]}")));
            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("detail").asString())
                    .isEqualTo("The request body is not a valid NewGreeting: 2 constraints violated");
            assertThat(problem.get("errors").toString())
                    .isEqualTo("[{\"field\":\"languages\",\"message\":\"size must be between 0 and 3\"},"
                            + "{\"field\":\"name\",\"message\":\"must not be blank\"}]");
        });
    }

    @Test
    void aClientThatDoesNotTakeJsonGetsTheProblemAsPlainText() {
        runner.run(context -> {
            var response = send(request(context, "/search").header("Accept", "text/html"));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
            assertThat(response.body()).isEqualTo("400 Bad Request\nRequired query parameter 'q' is missing\n");
        });
    }

    @Test
    void anObjectForAClientThatTakesNoJsonIs406AndConsumesIs415() {
        runner.run(context -> {
            var html = send(request(context, "/greetings/Ada").header("Accept", "text/html"));
            assertThat(html.statusCode()).isEqualTo(406);
            assertThat(html.body())
                    .isEqualTo("406 Not Acceptable\nThis resource answers with application/json, which the request's"
                            + " Accept (text/html) does not take\n");
            var json = send(request(context, "/greetings/Ada").header("Accept", "text/html, application/*;q=0.5"));
            assertThat(json.statusCode()).isEqualTo(200);
            var csv = send(request(context, "/csv")
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{}")));
            assertThat(csv.statusCode()).isEqualTo(415);
            assertThat(JSON.readTree(csv.body()).get("detail").asString())
                    .isEqualTo("Content-Type 'application/json' is not supported: this resource reads text/csv");
            var accepted = send(request(context, "/csv")
                    .header("Content-Type", "text/csv; charset=UTF-8")
                    .POST(BodyPublishers.ofString("a,b")));
            assertThat(accepted.body()).isEqualTo("csv a,b");
        });
    }

    @Test
    void producesPicksTheTypeTheClientPrefers() {
        runner.run(context -> {
            var plain = send(request(context, "/negotiated").header("Accept", "text/plain;q=0.9, text/csv"));
            assertThat(plain.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
            var any = send(request(context, "/negotiated"));
            assertThat(any.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
        });
    }

    @Test
    void theRequestResponseSessionTlsSessionAndInvocationAreArguments() {
        runner.run(context -> {
            var response = TestHttps.get(context, "/plumbing");
            assertThat(response.body())
                    .matches("GET /plumbing session \\d+ TLSv1\\.3 TLSv1\\.3 GET /plumbing principal=none");
            assertThat(response.headers().firstValue("X-Written")).hasValue("by the handler");
        });
    }

    @Test
    void theClientCertificatePrincipalIsAnArgumentUnderMutualTls() {
        runner.withPropertyValues(
                        "https-server.ssl.ca-certificate=" + Certificates.toPem(List.of(TestHttps.CA.certificate())))
                .run(context -> {
                    try (HttpClient client = TestHttps.client(TestHttps.CLIENT)) {
                        var response = TestHttps.get(client, TestHttps.port(context), "/plumbing");
                        assertThat(response.body()).endsWith("principal=CN=httpsd test client");
                    }
                });
    }

    /** A request for a greeting. */
    record NewGreeting(@NotBlank String name, @Size(max = 3) List<String> languages) {}

    /** A greeting. */
    record Greeting(String greeting) {}

    enum Status {
        PAID,
        OPEN
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {

        @GetUri("/users/{user}/orders/{order}/{id}/{status}")
        String order(
                @UriVariable String user,
                @UriVariable long order,
                @UriVariable("id") UUID uuid,
                @UriVariable Status status) {
            return user + " " + order + " " + uuid + " " + status;
        }

        @GetUri("/search")
        String search(
                @QueryValue String q,
                @QueryValue(defaultValue = "1") int page,
                @QueryValue(required = false) Integer size,
                @QueryValue(name = "tag", required = false) List<String> tags,
                @QueryValue Optional<String> sort) {
            return "q=" + q + " page=" + page + " size=" + (size == null ? 20 : size) + " tags="
                    + (tags == null ? List.of() : tags) + " sort=" + sort.orElse("none");
        }

        @GetUri("/headers")
        String headers(
                @HeaderValue("X-Trace") String trace,
                @HeaderValue(name = "X-Tag", required = false) List<String> tags,
                @Cookie String session,
                @Cookie(defaultValue = "light") String theme,
                @HeaderValue("X-Missing") Optional<String> missing) {
            return "trace=" + trace + " tags=" + tags + " session=" + session + " theme=" + theme + " missing="
                    + missing.orElse("empty");
        }

        @PostUri("/body/bytes")
        String bytes(@Body byte[] body) {
            return body.length + " bytes";
        }

        @PostUri("/body/text")
        String text(@Body String body) {
            return "text " + body;
        }

        @PostUri("/body/stream")
        String stream(InputStream body) throws IOException {
            return "streamed " + body.readAllBytes().length;
        }

        @PostUri("/greetings")
        Reply<Greeting> create(@Body @Valid NewGreeting request) {
            return Reply.created("/greetings/" + request.name())
                    .body(new Greeting(
                            "Hello, " + request.name() + "! (" + String.join(", ", request.languages()) + ")"));
        }

        @GetUri("/greetings/{name}")
        Greeting greeting(@UriVariable String name) {
            return new Greeting("Hello, " + name + "!");
        }

        @PostUri(value = "/csv", consumes = "text/csv")
        String csv(@Body String body) {
            return "csv " + body;
        }

        @GetUri(
                value = "/negotiated",
                produces = {"text/plain", "text/csv"})
        String negotiated() {
            return "a,b";
        }

        @GetUri("/plumbing")
        String plumbing(
                HttpRequest request,
                HttpResponse response,
                HttpSession session,
                TlsSession tls,
                SSLSession ssl,
                HandlerInvocation invocation,
                Principal principal) {
            response.header("X-Written", "by the handler");
            return request.method() + " " + request.path() + " session " + session.id() + " " + tls.protocol() + " "
                    + ssl.getProtocol() + " " + invocation.handler().method() + " "
                    + invocation.handler().uri()
                    + " principal=" + (principal == null ? "none" : principal.getName());
        }
    }
}
