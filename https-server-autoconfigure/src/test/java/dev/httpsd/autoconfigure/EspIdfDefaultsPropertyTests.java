package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.tls.HttpsServerConfig;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

/**
 * {@code https-server.defaults: esp-idf}: the properties ESP has a default for take ESP's
 * ({@code HTTPD_SSL_CONFIG_DEFAULT}) unless they are set, however they are set (even to httpsd's
 * own default); the rest keep httpsd's defaults.
 */
class EspIdfDefaultsPropertyTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void espIdfDefaultsGiveEspsLimitsAndCounting() {
        runner.withPropertyValues("https-server.defaults=esp-idf").run(context -> {
            HttpsServerConfig config = config(context);
            HttpServerConfig httpd = config.httpd();
            assertThat(httpd.maxOpenSockets()).isEqualTo(4);
            assertThat(httpd.lruPurgeEnable()).isTrue();
            assertThat(httpd.maxUriHandlers()).isEqualTo(8);
            assertThat(httpd.maxRespHeaders()).isEqualTo(8);
            assertThat(httpd.backlogConn()).isEqualTo(5);
            assertThat(httpd.recvWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(httpd.sendWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(httpd.maxReqHdrLen()).isEqualTo(512);
            assertThat(httpd.maxUriLen()).isEqualTo(512);
            assertThat(httpd.espIdfCompatible()).isTrue();
            assertThat(config.sessionTickets()).isFalse();
            assertThat(config.alpnProtocols()).isEmpty();
            assertThat(httpd.http2().enabled()).as("ESP-IDF has no HTTP/2").isFalse();
            // not in ESP: httpsd's
            assertThat(httpd.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(httpd.maxHeaderCount()).isEqualTo(100);
        });
    }

    @Test
    void setPropertiesWinOverEspIdfDefaultsEvenAtHttpsdsOwnDefault() {
        runner.withPropertyValues(
                        "https-server.defaults=esp-idf",
                        "https-server.max-open-sockets=10000",
                        "https-server.maxUriLen=1KB",
                        "https-server.session-tickets=true",
                        "https-server.alpn-protocols[0]=http/1.1",
                        "https-server.http2.enabled=true")
                .run(context -> {
                    HttpsServerConfig config = config(context);
                    assertThat(config.httpd().http2().enabled()).isTrue();
                    assertThat(config.httpd().maxOpenSockets()).isEqualTo(10_000);
                    assertThat(config.httpd().maxUriLen()).isEqualTo(1024);
                    assertThat(config.sessionTickets()).isTrue();
                    assertThat(config.alpnProtocols()).containsExactly("http/1.1");
                    assertThat(config.httpd().maxUriHandlers()).isEqualTo(8);
                });
    }

    @Test
    void httpsdDefaultsAreTheDefault() {
        runner.run(context -> {
            HttpsServerConfig config = config(context);
            assertThat(config.httpd().espIdfCompatible()).isFalse();
            assertThat(config.httpd().http2().enabled()).isTrue();
            assertThat(config.httpd().maxOpenSockets()).isEqualTo(10_000);
            assertThat(config.sessionTickets()).isTrue();
        });
    }

    @Test
    void aFactoryWithoutAnEnvironmentTakesPropertiesThatDifferFromHttpsdsDefaults() {
        HttpsServerProperties properties = new HttpsServerProperties();
        properties.setDefaults(HttpsServerProperties.Defaults.ESP_IDF);
        properties.setMaxUriLen(DataSize.ofBytes(1000));
        properties.getSsl().setCertificate(TestHttps.inlineServerMaterial()[0].split("=", 2)[1]);
        properties.getSsl().setPrivateKey(TestHttps.inlineServerMaterial()[1].split("=", 2)[1]);

        TlsMaterialResolver tls =
                new TlsMaterialResolver(properties, null, new org.springframework.core.io.DefaultResourceLoader());
        HttpsServerConfig config = new HttpsServerConfigFactory(properties, tls, List.of(), null).create();

        assertThat(config.httpd().maxUriLen()).isEqualTo(1000);
        assertThat(config.httpd().maxReqHdrLen()).isEqualTo(512);
        assertThat(config.httpd().maxOpenSockets()).isEqualTo(4);
    }

    @Test
    void anEspIdfServerAnswersA513ByteUriWith414OverHttps() {
        runner.withPropertyValues("https-server.defaults=esp-idf").run(context -> {
            assertThat(context).hasNotFailed();
            try (HttpClient client = TestHttps.client(null)) {
                assertThat(TestHttps.get(client, TestHttps.port(context), "/" + "u".repeat(512))
                                .statusCode())
                        .isEqualTo(414);
            }
        });
    }

    private static HttpsServerConfig config(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        return server(context).config();
    }
}
