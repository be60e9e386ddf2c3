package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.request;
import static dev.httpsd.autoconfigure.TestHttps.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.handler.UriVariable;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * With spring-web on the class path a handler may use Spring Web's binding annotations, return a
 * {@code ResponseEntity} and declare {@code @ResponseStatus}; without it, httpsd's own types do
 * the same and Spring's are not looked for.
 */
class HandlerSpringWebTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class, JacksonAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void springWebAnnotationsBindAsHttpsdsOwnDo() {
        runner.withUserConfiguration(SpringStyle.class).run(context -> {
            var response = send(request(context, "/orders/12?express=true")
                    .header("X-Customer", "ada")
                    .header("Cookie", "region=eu")
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"item\":\"tea\",\"quantity\":2}")));
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.headers().firstValue("Location")).hasValue("/orders/12");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body())
                    .isEqualTo("{\"summary\":\"12: 2 x tea for ada in eu, express=true, priority=normal\"}");
        });
    }

    @Test
    void springWebsResponseStatusSetsTheStatusOfAPlainReturn() {
        runner.withUserConfiguration(SpringStyle.class).run(context -> {
            var response = TestHttps.get(context, "/accepted/7");
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.body()).isEqualTo("accepted 7");
        });
    }

    @Test
    void aRequiredSpringRequestParamThatIsMissingIs400() {
        runner.withUserConfiguration(SpringStyle.class).run(context -> {
            var response = send(request(context, "/orders/12?express=false")
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"item\":\"tea\",\"quantity\":2}")));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("Required header 'X-Customer' is missing");
        });
    }

    @Test
    void withoutSpringWebAResponseEntityIsJustAnObjectAndHttpsdsAnnotationsStillBind() {
        runner.withClassLoader(new FilteredClassLoader(ResponseEntity.class))
                .withUserConfiguration(OwnStyle.class)
                .run(context -> {
                    assertThat(TestHttps.get(context, "/own/ada").body()).isEqualTo("own ada");
                    var entity = TestHttps.get(context, "/entity");
                    assertThat(entity.statusCode())
                            .as("not read as a ResponseEntity")
                            .isEqualTo(200);
                    assertThat(entity.body()).contains("\"statusCode\"");
                });
    }

    record Order(String item, int quantity) {}

    record Summary(String summary) {}

    @Configuration(proxyBeanMethods = false)
    static class SpringStyle {
        @PostUri("/orders/{id}")
        ResponseEntity<Summary> order(
                @PathVariable long id,
                @RequestParam boolean express,
                @RequestParam(defaultValue = "normal") String priority,
                @RequestHeader("X-Customer") String customer,
                @CookieValue String region,
                @RequestBody Order order) {
            return ResponseEntity.created(URI.create("/orders/" + id))
                    .body(new Summary(id + ": " + order.quantity() + " x " + order.item() + " for " + customer + " in "
                            + region + ", express=" + express + ", priority=" + priority));
        }

        @GetUri("/accepted/{id}")
        @ResponseStatus(HttpStatus.ACCEPTED)
        String accepted(@PathVariable("id") String id) {
            return "accepted " + id;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStyle {
        @GetUri("/own/{name}")
        String own(@UriVariable String name) {
            return "own " + name;
        }

        @GetUri("/entity")
        Object entity() {
            return ResponseEntity.status(HttpStatus.CONFLICT).body("not an entity here");
        }
    }
}
