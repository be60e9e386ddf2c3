package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.Http2Config;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.UriMatcher;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.ClientAuth;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TransportMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every {@code https-server.*} property group reaches the running server's configuration. */
class HttpsServerPropertiesMappingTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void unsetPropertiesGiveTheDocumentedDefaults() {
        runner.run(context -> {
            HttpServerConfig httpd = config(context).httpd();
            assertThat(httpd.bindAddress()).isNull();
            assertThat(httpd.maxOpenSockets()).isEqualTo(10_000);
            assertThat(httpd.maxUriHandlers()).isEqualTo(1024);
            assertThat(httpd.maxRespHeaders()).isEqualTo(64);
            assertThat(httpd.backlogConn()).isEqualTo(1024);
            assertThat(httpd.lruPurgeEnable()).isTrue();
            assertThat(httpd.recvWaitTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(httpd.sendWaitTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(httpd.maxReqHdrLen()).isEqualTo(8192);
            assertThat(httpd.maxUriLen()).isEqualTo(8192);
            assertThat(httpd.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(httpd.headerReadTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(httpd.maxContentLength()).isEqualTo(Long.MAX_VALUE);
            assertThat(httpd.maxHeaderCount()).isEqualTo(100);
            assertThat(httpd.maxDrainLength()).isEqualTo(1024 * 1024);
            assertThat(httpd.maxWsFrameLength()).isEqualTo(16L * 1024 * 1024);
            assertThat(httpd.maxWsMessageLength()).isEqualTo(64L * 1024 * 1024);
            assertThat(httpd.tcpNoDelay()).isTrue();
            assertThat(httpd.uriMatcher()).isSameAs(UriMatcher.template());
        });
    }

    @Test
    void httpLimitsMapToTheHttpdConfig() {
        runner.withPropertyValues(
                        "https-server.address=127.0.0.1",
                        "https-server.max-open-sockets=12",
                        "https-server.max-uri-handlers=9",
                        "https-server.max-resp-headers=5",
                        "https-server.backlog-conn=7",
                        "https-server.lru-purge-enable=false",
                        "https-server.max-req-hdr-len=2KB",
                        "https-server.max-uri-len=1KB",
                        "https-server.max-content-length=5MB",
                        "https-server.max-header-count=50",
                        "https-server.max-drain-length=64KB",
                        "https-server.max-ws-frame-length=32KB",
                        "https-server.max-ws-message-length=3MB",
                        "https-server.tcp-no-delay=false")
                .run(context -> {
                    HttpServerConfig httpd = config(context).httpd();
                    assertThat(httpd.bindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
                    assertThat(httpd.maxOpenSockets()).isEqualTo(12);
                    assertThat(httpd.maxUriHandlers()).isEqualTo(9);
                    assertThat(httpd.maxRespHeaders()).isEqualTo(5);
                    assertThat(httpd.backlogConn()).isEqualTo(7);
                    assertThat(httpd.lruPurgeEnable()).isFalse();
                    assertThat(httpd.maxReqHdrLen()).isEqualTo(2048);
                    assertThat(httpd.maxUriLen()).isEqualTo(1024);
                    assertThat(httpd.maxContentLength()).isEqualTo(5L * 1024 * 1024);
                    assertThat(httpd.maxHeaderCount()).isEqualTo(50);
                    assertThat(httpd.maxDrainLength()).isEqualTo(64 * 1024);
                    assertThat(httpd.maxWsFrameLength()).isEqualTo(32 * 1024);
                    assertThat(httpd.maxWsMessageLength()).isEqualTo(3L * 1024 * 1024);
                    assertThat(httpd.tcpNoDelay()).isFalse();
                });
    }

    @Test
    void http2IsOnByDefaultAndItsPropertiesMapToTheHttpdConfigAndTheAlpnOffer() {
        runner.run(context -> {
            assertThat(config(context).httpd().http2()).isEqualTo(Http2Config.DEFAULTS.withEnabled(true));
            assertThat(config(context).offeredApplicationProtocols()).containsExactly("h2", "http/1.1");
        });
        runner.withPropertyValues("https-server.http2.enabled=false").run(context -> {
            assertThat(config(context).httpd().http2()).isEqualTo(Http2Config.DEFAULTS);
            assertThat(config(context).offeredApplicationProtocols()).containsExactly("http/1.1");
        });
        runner.withPropertyValues(
                        "https-server.http2.enabled=true",
                        "https-server.http2.max-concurrent-streams=20",
                        "https-server.http2.initial-window-size=1MB",
                        "https-server.http2.max-frame-size=32KB",
                        "https-server.http2.max-header-list-size=8KB",
                        "https-server.http2.reset-budget=21",
                        "https-server.http2.settings-budget=22",
                        "https-server.http2.ping-budget=23",
                        "https-server.http2.empty-frame-budget=24",
                        "https-server.http2.flood-window=25s")
                .run(context -> {
                    assertThat(config(context).httpd().http2())
                            .isEqualTo(new Http2Config(
                                    true,
                                    20,
                                    1024 * 1024,
                                    32 * 1024,
                                    8 * 1024,
                                    21,
                                    22,
                                    23,
                                    24,
                                    Duration.ofSeconds(25)));
                    assertThat(config(context).offeredApplicationProtocols()).containsExactly("h2", "http/1.1");
                });
    }

    @Test
    void anHttp2FrameSizeOutOfRangeNamesItsProperty() {
        runner.withPropertyValues("https-server.http2.max-frame-size=1KB")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("https-server.http2.max-frame-size"));
    }

    @Test
    void httpTimeoutsMapToTheHttpdConfig() {
        runner.withPropertyValues(
                        "https-server.recv-wait-timeout=3s",
                        "https-server.send-wait-timeout=4s",
                        "https-server.idle-timeout=11s",
                        "https-server.header-read-timeout=12s")
                .run(context -> {
                    HttpServerConfig httpd = config(context).httpd();
                    assertThat(httpd.recvWaitTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(httpd.sendWaitTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(httpd.idleTimeout()).isEqualTo(Duration.ofSeconds(11));
                    assertThat(httpd.headerReadTimeout()).isEqualTo(Duration.ofSeconds(12));
                });
    }

    @Test
    void socketOptionsMapToTheHttpdConfig() {
        runner.withPropertyValues(
                        "https-server.enable-so-linger=true",
                        "https-server.linger-timeout=2s",
                        "https-server.keep-alive-enable=true",
                        "https-server.keep-alive-idle=6s",
                        "https-server.keep-alive-interval=7s",
                        "https-server.keep-alive-count=4")
                .run(context -> {
                    HttpServerConfig httpd = config(context).httpd();
                    assertThat(httpd.enableSoLinger()).isTrue();
                    assertThat(httpd.lingerTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(httpd.keepAliveEnable()).isTrue();
                    assertThat(httpd.keepAliveIdle()).isEqualTo(Duration.ofSeconds(6));
                    assertThat(httpd.keepAliveInterval()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(httpd.keepAliveCount()).isEqualTo(4);
                });
    }

    @Test
    void uriMatchWildcardSelectsEspWildcardMatcherUnderTemplates() {
        runner.withPropertyValues("https-server.uri-match=wildcard").run(context -> {
            UriMatcher matcher = config(context).httpd().uriMatcher();
            assertThat(matcher.matches("/api/*", "/api/a/b"))
                    .as("ESP's wildcard")
                    .isTrue();
            assertThat(matcher.matches("/api/{id}", "/api/7")).as("a template").isTrue();
            assertThat(matcher).isSameAs(UriMatcher.template(matcher));
        });
    }

    @Test
    void tlsSettingsMapToTheHttpsConfig() {
        runner.withPropertyValues(
                        "https-server.ssl.protocols=TLSv1.2",
                        "https-server.ssl.cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                        "https-server.session-tickets=false",
                        "https-server.tls-handshake-timeout=3s",
                        "https-server.alpn-protocols=x-test,http/1.1",
                        "https-server.ssl.fail-on-expired-certificate=true")
                .run(context -> {
                    HttpsServerConfig config = config(context);
                    assertThat(config.protocols()).containsExactly("TLSv1.2");
                    assertThat(config.cipherSuites()).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
                    assertThat(config.sessionTickets()).isFalse();
                    assertThat(config.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(config.alpnProtocols()).containsExactly("x-test", "http/1.1");
                    assertThat(config.failOnExpiredCertificate()).isTrue();
                });
    }

    @Test
    void tlsProtocolAndCipherSuitePropertiesRuleTheHandshake() {
        runner.withPropertyValues(
                        "https-server.ssl.protocols=TLSv1.2",
                        "https-server.ssl.cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")
                .run(context -> {
                    var session = TestHttps.handshake(TestHttps.port(context), null);
                    assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
                    assertThat(session.getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
                });
    }

    @Test
    void defaultTlsSettingsAreModernAndOfferHttp11() {
        runner.run(context -> {
            HttpsServerConfig config = config(context);
            assertThat(config.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(config.cipherSuites()).isEqualTo(HttpsServerConfig.DEFAULT_CIPHER_SUITES);
            assertThat(config.sessionTickets()).isTrue();
            assertThat(config.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config.alpnProtocols()).containsExactly("http/1.1");
            assertThat(config.clientAuth()).isEqualTo(ClientAuth.NONE);
        });
    }

    @Test
    void clientAuthOptionalWithACaMapsToOptional() {
        runner.withPropertyValues(
                        "https-server.ssl.client-auth=optional",
                        "https-server.ssl.ca-certificate=" + Certificates.toPem(List.of(TestHttps.CA.certificate())))
                .run(context -> {
                    assertThat(config(context).clientAuth()).isEqualTo(ClientAuth.OPTIONAL);
                    assertThat(config(context).caCertificates()).containsExactly(TestHttps.CA.certificate());
                });
    }

    @ParameterizedTest(name = "client-auth: {0}")
    @CsvSource({
        "none,     NONE",
        "want,     OPTIONAL",
        "need,     REQUIRED",
        "NEED,     REQUIRED",
        "optional, OPTIONAL",
        "required, REQUIRED",
        "Required, REQUIRED"
    })
    void clientAuthTakesBootsNamesAndEspsAsAliases(String value, ClientAuth expected) {
        runner.withPropertyValues(
                        "https-server.ssl.client-auth=" + value,
                        "https-server.ssl.ca-certificate=" + Certificates.toPem(List.of(TestHttps.CA.certificate())))
                .run(context -> assertThat(config(context).clientAuth()).isEqualTo(expected));
    }

    @Test
    void anUnknownClientAuthFailsBindingNamingTheValuesThatWork() {
        runner.withPropertyValues("https-server.ssl.client-auth=sometimes").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasRootCauseMessage(
                            "'sometimes' is not a client authentication mode: use none, want or need (or ESP's optional and required)");
        });
    }

    @Test
    void espSecondsFieldsTakeABareNumberAsSecondsAndTheHandshakeTimeoutAsMilliseconds() {
        runner.withPropertyValues(
                        "https-server.recv-wait-timeout=5",
                        "https-server.send-wait-timeout=6",
                        "https-server.enable-so-linger=true",
                        "https-server.linger-timeout=7",
                        "https-server.keep-alive-idle=8",
                        "https-server.keep-alive-interval=9",
                        "https-server.tls-handshake-timeout=1500")
                .run(context -> {
                    HttpServerConfig httpd = config(context).httpd();
                    assertThat(httpd.recvWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(httpd.sendWaitTimeout()).isEqualTo(Duration.ofSeconds(6));
                    assertThat(httpd.lingerTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(httpd.keepAliveIdle()).isEqualTo(Duration.ofSeconds(8));
                    assertThat(httpd.keepAliveInterval()).isEqualTo(Duration.ofSeconds(9));
                    assertThat(config(context).handshakeTimeout()).isEqualTo(Duration.ofMillis(1500));
                });
    }

    @Test
    void aSubSecondLingerTimeoutIsRefusedInsteadOfBecomingAnAbortiveClose() {
        runner.withPropertyValues("https-server.linger-timeout=500ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
                        assertThat(invalid.getName()).isEqualTo("https-server.linger-timeout");
                        assertThat(invalid.getMessage()).contains("SO_LINGER has a resolution of one second");
                    });
        });
    }

    @Test
    void insecureTransportModeServesPlainHttpOnPortInsecure() {
        runner.withPropertyValues("https-server.transport-mode=insecure", "https-server.port-insecure=0")
                .run(context -> {
                    assertThat(config(context).transportMode()).isEqualTo(TransportMode.INSECURE);
                    assertThat(server(context).port()).isEqualTo(TestHttps.port(context));
                    try (var client = new dev.httpsd.test.RawHttpConnection(TestHttps.port(context))) {
                        var response = client.exchange("GET /nothing HTTP/1.1\r\nHost: localhost\r\n\r\n");
                        assertThat(response.status()).isEqualTo(404);
                    }
                });
    }

    @Test
    void redirectInsecureAlsoListensOnPortInsecureAndPublishesIt() {
        runner.withPropertyValues("https-server.redirect-insecure=true", "https-server.port-insecure=0")
                .run(context -> {
                    assertThat(config(context).redirectInsecure()).isTrue();
                    int insecure = Integer.parseInt(
                            context.getEnvironment().getRequiredProperty("local.https-server.port-insecure"));
                    try (var client = new dev.httpsd.test.RawHttpConnection(insecure)) {
                        var response = client.exchange("GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n");
                        assertThat(response.status()).isEqualTo(308);
                        assertThat(response.header("Location"))
                                .isEqualTo("https://localhost:" + TestHttps.port(context) + "/x");
                    }
                });
    }

    @Test
    void publishEventsFalseInstallsNoEventListener() {
        runner.withPropertyValues("https-server.publish-events=false")
                .run(context ->
                        assertThat(config(context).httpd().eventListeners()).isEmpty());
    }

    @Test
    void eventsArePublishedByDefaultThroughOneListener() {
        runner.run(context -> assertThat(config(context).httpd().eventListeners())
                .singleElement()
                .isInstanceOf(ServerEventBridge.class));
    }

    private static HttpsServerConfig config(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        return server(context).config();
    }
}
