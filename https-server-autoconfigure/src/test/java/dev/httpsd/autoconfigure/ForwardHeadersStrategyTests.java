package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.port;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.test.RawHttpConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Spring Boot's {@code server.forward-headers-strategy} on httpsd, checked with raw TLS requests
 * from loopback carrying forwarded headers: {@code native} reads them from the trusted proxies
 * ({@code https-server.forwarded.*}), {@code none} and an unset strategy do not, {@code framework}
 * does not and says why, a detected cloud platform turns them on as Boot does, and bad values are
 * errors on their property.
 */
@ExtendWith(OutputCaptureExtension.class)
class ForwardHeadersStrategyTests {

    private static final String REQUEST = """
            GET /origin HTTP/1.1\r
            Host: 10.0.0.5:8443\r
            X-Forwarded-For: 203.0.113.7\r
            X-Forwarded-Proto: https\r
            X-Forwarded-Host: shop.example\r
            Forwarded: for=198.51.100.9;proto=http;host=api.example\r
            Connection: close\r
            \r
            """;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial())
            .withBean(HttpsServerCustomizer.class, () -> new HttpsServerCustomizer() {
                @Override
                public void customize(HttpsServerConfig.Builder config) {}

                @Override
                public void configure(HttpServer server) {
                    server.registerUriHandler(UriHandler.of(
                            "/origin",
                            HttpMethod.GET,
                            (req, resp) -> resp.send(req.scheme() + "://" + req.host() + ":" + req.port() + " from "
                                    + req.clientAddress().getAddress().getHostAddress())));
                }
            });

    @Test
    void nativeReadsXForwardedHeadersFromLoopbackAndPrivateNetworksByDefault() {
        runner.withPropertyValues("server.forward-headers-strategy=native")
                .run(context -> assertThat(origin(context)).isEqualTo("https://shop.example:443 from 203.0.113.7"));
    }

    @Test
    void nativeWithTheForwardedFamilyReadsRfc7239Instead() {
        runner.withPropertyValues("server.forward-headers-strategy=NATIVE", "https-server.forwarded.headers=forwarded")
                .run(context -> assertThat(origin(context)).isEqualTo("http://api.example:80 from 198.51.100.9"));
    }

    @Test
    void nativeIgnoresPeersOutsideTheTrustedProxies() {
        runner.withPropertyValues(
                        "server.forward-headers-strategy=native",
                        "https-server.forwarded.trusted-proxies=192.0.2.0/24, 2001:db8::/32")
                .run(context -> assertThat(origin(context)).isEqualTo("https://10.0.0.5:8443 from 127.0.0.1"));
    }

    @Test
    void noneAndAnUnsetStrategyReadNoForwardedHeader() {
        runner.withPropertyValues("server.forward-headers-strategy=none")
                .run(context -> assertThat(origin(context)).isEqualTo("https://10.0.0.5:8443 from 127.0.0.1"));
        runner.run(context -> assertThat(origin(context)).isEqualTo("https://10.0.0.5:8443 from 127.0.0.1"));
    }

    @Test
    void frameworkReadsNoneAndSaysWhy(CapturedOutput output) {
        runner.withPropertyValues("server.forward-headers-strategy=framework").run(context -> {
            assertThat(origin(context)).isEqualTo("https://10.0.0.5:8443 from 127.0.0.1");
            assertThat(output)
                    .contains("server.forward-headers-strategy=framework leaves forwarded headers to Spring's"
                            + " ForwardedHeaderFilter")
                    .contains("httpsd reads no forwarded header. Use native");
        });
    }

    @Test
    void aCloudPlatformThatForwardsHeadersTurnsThemOnAsBootDoes() {
        runner.withPropertyValues("spring.main.cloud-platform=heroku")
                .run(context -> assertThat(origin(context)).isEqualTo("https://shop.example:443 from 203.0.113.7"));
    }

    @Test
    void aTrustedProxyThatIsNoCidrBlockIsAnErrorOnTheProperty() {
        runner.withPropertyValues(
                        "server.forward-headers-strategy=native", "https-server.forwarded.trusted-proxies=10.0.0.1/8")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
                            assertThat(invalid.getName()).isEqualTo("https-server.forwarded.trusted-proxies");
                            assertThat(invalid.getReason()).contains("10.0.0.0/8");
                        }));
    }

    @Test
    void anUnknownStrategyIsAnErrorOnBootsProperty() {
        runner.withPropertyValues("server.forward-headers-strategy=nativ")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
                            assertThat(invalid.getName()).isEqualTo("server.forward-headers-strategy");
                            assertThat(invalid.getReason()).isEqualTo("one of native, framework, none");
                        }));
    }

    /** The body of one raw TLS request with every kind of forwarded header. */
    private static String origin(AssertableApplicationContext context) throws Exception {
        assertThat(context).hasNotFailed();
        try (RawHttpConnection client = new RawHttpConnection(TestHttps.tlsSocket(port(context), null))) {
            RawHttpConnection.Response response = client.exchange(REQUEST);
            assertThat(response.status()).isEqualTo(200);
            return response.bodyText();
        }
    }
}
