package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.request;
import static dev.httpsd.autoconfigure.TestHttps.send;
import static dev.httpsd.autoconfigure.TestHttps.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.handler.Body;
import dev.httpsd.autoconfigure.handler.HandlerInvocation;
import dev.httpsd.autoconfigure.handler.RequestInterceptor;
import dev.httpsd.autoconfigure.handler.UriVariable;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import java.net.http.HttpRequest.BodyPublishers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/** CORS from {@code https-server.cors.*}: preflights answered, allowed origins marked, others refused. */
class HandlerCorsTests {

    private static final String APP = "https://app.example.com";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.cors.allowed-origins=" + APP,
                    "https-server.cors.allowed-origin-patterns=https://*.partner.example",
                    "https-server.cors.allowed-methods=GET,PUT",
                    "https-server.cors.allowed-headers=Content-Type,X-Request-Id",
                    "https-server.cors.exposed-headers=X-Total",
                    "https-server.cors.allow-credentials=true",
                    "https-server.cors.max-age=10m")
            .withPropertyValues(TestHttps.inlineServerMaterial())
            .withUserConfiguration(Items.class);

    @Test
    void anAllowedPreflightIsAnsweredWithTheAllowHeadersBeforeAuthentication() {
        runner.run(context -> {
            var response = send(request(context, "/items/7")
                    .method("OPTIONS", BodyPublishers.noBody())
                    .header("Origin", APP)
                    .header("Access-Control-Request-Method", "PUT")
                    .header("Access-Control-Request-Headers", "content-type, x-request-id"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue(APP);
            assertThat(response.headers().firstValue("Access-Control-Allow-Methods"))
                    .hasValue("GET, PUT");
            assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                    .hasValue("content-type, x-request-id");
            assertThat(response.headers().firstValue("Access-Control-Allow-Credentials"))
                    .hasValue("true");
            assertThat(response.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
            assertThat(response.headers().firstValue("Vary"))
                    .hasValue("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        });
    }

    @Test
    void anOriginMatchingAPatternIsAllowed() {
        runner.run(context -> {
            var response = send(request(context, "/items/7")
                    .header("Origin", "https://shop.partner.example")
                    .header("Authorization", "Bearer letmein"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue("https://shop.partner.example");
            assertThat(response.headers().firstValue("Access-Control-Expose-Headers"))
                    .hasValue("X-Total");
            assertThat(response.headers().firstValue("Vary")).hasValue("Origin");
        });
    }

    @Test
    void aPreflightForAMethodOrHeaderNotAllowedOrFromAnotherOriginIs403() {
        runner.run(context -> {
            var method = send(request(context, "/items/7")
                    .method("OPTIONS", BodyPublishers.noBody())
                    .header("Origin", APP)
                    .header("Access-Control-Request-Method", "DELETE"));
            assertThat(method.statusCode()).isEqualTo(403);
            assertThat(method.body()).isEqualTo("Invalid CORS request\n");
            var header = send(request(context, "/items/7")
                    .method("OPTIONS", BodyPublishers.noBody())
                    .header("Origin", APP)
                    .header("Access-Control-Request-Method", "GET")
                    .header("Access-Control-Request-Headers", "X-Secret"));
            assertThat(header.statusCode()).isEqualTo(403);
            var origin = send(request(context, "/items/7")
                    .header("Origin", "https://evil.example")
                    .header("Authorization", "Bearer letmein"));
            assertThat(origin.statusCode()).isEqualTo(403);
            assertThat(origin.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
        });
    }

    @Test
    void aPlainOptionsRequestGetsAllowAndSameOriginRequestsPassUntouched() {
        runner.run(context -> {
            var options = send(request(context, "/items/7")
                    .method("OPTIONS", BodyPublishers.noBody())
                    .header("Authorization", "Bearer letmein"));
            assertThat(options.statusCode()).isEqualTo(200);
            assertThat(options.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT, OPTIONS");
            var sameOrigin = send(request(context, "/items/7")
                    .header("Origin", "https://localhost:" + TestHttps.port(context))
                    .header("Authorization", "Bearer letmein"));
            assertThat(sameOrigin.statusCode()).isEqualTo(200);
            assertThat(sameOrigin.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
        });
    }

    @Test
    void withoutAllowedOriginsThereIsNoCorsAndNoOptionsHandler() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
                .withPropertyValues("https-server.port-secure=0")
                .withPropertyValues(TestHttps.inlineServerMaterial())
                .withUserConfiguration(Items.class)
                .run(context -> {
                    assertThat(server(context).httpServer().uriHandlers())
                            .noneMatch(handler -> handler.method() == HttpMethod.OPTIONS);
                    var response = send(request(context, "/items/7")
                            .method("OPTIONS", BodyPublishers.noBody())
                            .header("Origin", APP)
                            .header("Access-Control-Request-Method", "PUT"));
                    assertThat(response.statusCode()).isEqualTo(405);
                });
    }

    @Test
    void credentialsWithAnyOriginStopTheStartWithTheReason() {
        runner.withPropertyValues("https-server.cors.allowed-origins=*").run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("https-server.cors")
                    .hasMessageContaining("allow-credentials cannot be true with the allowed origin '*'");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Items {
        @GetUri("/items/{id}")
        String item(@UriVariable String id) {
            return "item " + id;
        }

        @PutUri("/items/{id}")
        String replace(@UriVariable String id, @Body String body) {
            return "replaced " + id;
        }

        /** Refuses requests without a bearer token; ordered after CORS by default. */
        @Bean
        RequestInterceptor bearer() {
            return new RequestInterceptor() {
                @Override
                public boolean before(HttpRequest request, HttpResponse response, HandlerInvocation invocation)
                        throws Exception {
                    if (request.header("Authorization").orElse("").equals("Bearer letmein")) {
                        return true;
                    }
                    response.status(401).header("WWW-Authenticate", "Bearer").send("");
                    return false;
                }
            };
        }
    }
}
