package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.port;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.test.RawHttpConnection;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code https-server.hsts.*}: {@code Strict-Transport-Security} on every response of the HTTPS
 * port (handler responses and the server's own errors), never on a plain-HTTP listener (RFC 6797
 * §7.2), and the preload list's requirements enforced at start.
 */
class HstsTests {

    private static final String YEAR = "max-age=31536000";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withUserConfiguration(HandlerConfiguration.class)
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void offByDefaultNoResponseCarriesTheHeader() {
        runner.run(context -> {
            HttpResponse<String> response = TestHttps.get(context, "/hello");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().allValues("Strict-Transport-Security"))
                    .isEmpty();
        });
    }

    @Test
    void enabledEveryHttpsResponseCarriesOneHeaderWithAYearByDefault() {
        runner.withPropertyValues("https-server.hsts.enabled=true").run(context -> {
            try (HttpClient client = TestHttps.client(null)) {
                HttpResponse<String> handled = TestHttps.get(client, port(context), "/hello");
                assertThat(handled.statusCode()).isEqualTo(200);
                assertThat(handled.headers().allValues("Strict-Transport-Security"))
                        .containsExactly(YEAR);
                HttpResponse<String> notFound = TestHttps.get(client, port(context), "/nothing-here");
                assertThat(notFound.statusCode()).isEqualTo(404);
                assertThat(notFound.headers().allValues("Strict-Transport-Security"))
                        .containsExactly(YEAR);
            }
        });
    }

    @Test
    void theServersOwnRefusalOfABadRequestCarriesTheHeaderToo() {
        runner.withPropertyValues("https-server.hsts.enabled=true").run(context -> {
            try (RawHttpConnection connection =
                    new RawHttpConnection(TestHttps.connect(TestHttps.clientContext(null), port(context)))) {
                // HTTP/1.1 without Host: refused by the parser before any handler
                RawHttpConnection.Response response = connection.exchange("GET /hello HTTP/1.1\r\n\r\n");
                assertThat(response.status()).isEqualTo(400);
                assertThat(response.header("Strict-Transport-Security")).isEqualTo(YEAR);
            }
        });
    }

    @Test
    void includeSubDomainsAndPreloadAreAppendedInRfcSpelling() {
        runner.withPropertyValues(
                        "https-server.hsts.enabled=true",
                        "https-server.hsts.max-age=730d",
                        "https-server.hsts.include-sub-domains=true",
                        "https-server.hsts.preload=true")
                .run(context -> assertThat(
                                TestHttps.get(context, "/hello").headers().allValues("Strict-Transport-Security"))
                        .containsExactly("max-age=63072000; includeSubDomains; preload"));
    }

    @Test
    void aBareMaxAgeIsSecondsAndZeroTellsBrowsersToForget() {
        runner.withPropertyValues("https-server.hsts.enabled=true", "https-server.hsts.max-age=0")
                .run(context -> assertThat(
                                TestHttps.get(context, "/hello").headers().firstValue("Strict-Transport-Security"))
                        .hasValue("max-age=0"));
        runner.withPropertyValues("https-server.hsts.enabled=true", "https-server.hsts.max-age=600")
                .run(context -> assertThat(
                                TestHttps.get(context, "/hello").headers().firstValue("Strict-Transport-Security"))
                        .hasValue("max-age=600"));
    }

    @Test
    void theRedirectListenerNeverSendsTheHeaderOverPlainHttp() {
        runner.withPropertyValues(
                        "https-server.hsts.enabled=true",
                        "https-server.redirect-insecure=true",
                        "https-server.port-insecure=0")
                .run(context -> {
                    int insecure = Integer.parseInt(
                            context.getEnvironment().getRequiredProperty("local.https-server.port-insecure"));
                    try (RawHttpConnection client = new RawHttpConnection(insecure)) {
                        String raw = client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                                .readToEnd();
                        assertThat(raw).startsWith("HTTP/1.1 308 ");
                        assertThat(raw.toLowerCase(java.util.Locale.ROOT)).doesNotContain("strict-transport-security");
                    }
                    assertThat(TestHttps.get(context, "/hello").headers().firstValue("Strict-Transport-Security"))
                            .as("the HTTPS port still sends it")
                            .hasValue(YEAR);
                });
    }

    @Test
    void insecureModeNeverSendsTheHeader() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
                .withUserConfiguration(HandlerConfiguration.class)
                .withPropertyValues(
                        "https-server.transport-mode=insecure",
                        "https-server.port-insecure=0",
                        "https-server.hsts.enabled=true")
                .run(context -> {
                    try (RawHttpConnection client = new RawHttpConnection(port(context))) {
                        String raw = client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                                .readToEnd();
                        assertThat(raw).startsWith("HTTP/1.1 200 ");
                        assertThat(raw.toLowerCase(java.util.Locale.ROOT)).doesNotContain("strict-transport-security");
                    }
                });
    }

    @Test
    void preloadWithoutIncludeSubDomainsStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("https-server.hsts.enabled=true", "https-server.hsts.preload=true")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                            assertThat(e.getName()).isEqualTo("https-server.hsts.preload");
                            assertThat(e.getMessage()).contains("include-sub-domains=true");
                        }));
    }

    @Test
    void preloadWithLessThanAYearStopsTheStartNamingTheProperty() {
        runner.withPropertyValues(
                        "https-server.hsts.enabled=true",
                        "https-server.hsts.include-sub-domains=true",
                        "https-server.hsts.preload=true",
                        "https-server.hsts.max-age=180d")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                            assertThat(e.getName()).isEqualTo("https-server.hsts.preload");
                            assertThat(e.getMessage())
                                    .contains("at least 365 days")
                                    .contains("15552000 s");
                        }));
    }

    @Test
    void aNegativeMaxAgeStopsTheStart() {
        runner.withPropertyValues("https-server.hsts.enabled=true", "https-server.hsts.max-age=-1s")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOfSatisfying(
                                InvalidConfigurationPropertyValueException.class,
                                e -> assertThat(e.getName()).isEqualTo("https-server.hsts.max-age")));
    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerConfiguration {
        @Bean
        HttpsServerCustomizer hello() {
            return new HttpsServerCustomizer() {
                @Override
                public void customize(HttpsServerConfig.Builder config) {}

                @Override
                public void configure(HttpServer server) {
                    server.registerUriHandler(UriHandler.of(
                            "/hello",
                            HttpMethod.GET,
                            (request, response) -> response.send("hello".getBytes(StandardCharsets.UTF_8))));
                }
            };
        }
    }
}
