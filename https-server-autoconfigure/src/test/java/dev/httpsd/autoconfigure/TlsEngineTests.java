package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.InvalidConfigException;
import dev.httpsd.server.tls.TlsEngine;
import dev.httpsd.server.tls.TlsSession;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@code https-server.ssl.engine} picks the TLS implementation under the same handlers. */
class TlsEngineTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withUserConfiguration(Handlers.class)
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void theJdkEngineIsTheDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(TestHttps.server(context).config().engine()).isEqualTo(TlsEngine.JDK);
            assertThat(TestHttps.get(context, "/engine").body()).startsWith("TLSv1.3 sun.security.ssl.");
        });
    }

    @Test
    void openSslServesTheSameHandlersThroughBoringSsl() {
        runner.withPropertyValues("https-server.ssl.engine=openssl").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(TestHttps.server(context).config().engine()).isEqualTo(TlsEngine.OPENSSL);
            var response = TestHttps.get(context, "/engine");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("TLSv1.3 io.netty.handler.ssl.");
        });
    }

    @Test
    void anUnknownEngineIsABindingErrorNamingTheProperty() {
        runner.withPropertyValues("https-server.ssl.engine=gnutls").run(context -> {
            assertThat(context).hasFailed();
            // Boot's binder names the property and the value it could not convert
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining(BindException.class.getName())
                    .hasStackTraceContaining("https-server.ssl.engine")
                    .hasStackTraceContaining("gnutls");
        });
    }

    @Test
    void openSslPresentsItsCertificateInBootsSslBundleRegistry() {
        runner.withPropertyValues("https-server.ssl.engine=openssl").run(context -> {
            assertThat(context).hasNotFailed();
            SslBundle presented = context.getBean(SslBundles.class).getBundle(HttpsServerLifecycle.SSL_BUNDLE);
            assertThat(presented.getStores().getKeyStore().getCertificate("default"))
                    .isEqualTo(TestHttps.SERVER.certificate());
            assertThat(TestHttps.handshake(TestHttps.port(context), null).getPeerCertificates()[0])
                    .as("the certificate the bundle reports is the one BoringSSL presents")
                    .isEqualTo(TestHttps.SERVER.certificate());
        });
    }

    @Test
    void aCipherSuiteListBoringSslCannotHonourIsAnErrorOnTheCipherSuitesProperty() {
        runner.withPropertyValues(
                        "https-server.ssl.engine=openssl", "https-server.ssl.cipher-suites=TLS_AES_128_GCM_SHA256")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
                                assertThat(invalid.getName()).isEqualTo("https-server.ssl.cipher-suites");
                                assertThat(invalid.getReason()).startsWith("BoringSSL always offers all three");
                            });
                });
    }

    @Test
    void theCoresRefusalForMissingLibrariesBecomesAnErrorOnTheProperty() {
        // as OpenSslEngines reports it; a class path without Netty cannot be made inside this test
        InvalidConfigException missing = new InvalidConfigException(
                "HttpsServerConfig",
                "engine",
                TlsEngine.OPENSSL,
                "the OpenSSL engine needs io.netty:netty-tcnative-boringssl-static on the class path");

        assertThat(HttpsServerConfigFactory.asPropertyError(missing))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("https-server.ssl.engine");
                    assertThat(e.getValue()).isEqualTo(TlsEngine.OPENSSL);
                    assertThat(e.getReason()).contains("io.netty:netty-tcnative-boringssl-static");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        /** The negotiated protocol and the class of the engine's session: JSSE's or Netty's. */
        @UriMapping(uri = "/engine")
        String engine(HttpRequest request) {
            TlsSession tls = TlsSession.of(request.session()).orElseThrow();
            return tls.protocol() + " " + tls.sslSession().getClass().getName();
        }
    }
}
