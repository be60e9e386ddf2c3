package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.InvalidConfigException;
import dev.httpsd.server.RawClient;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the OpenSSL engine has: its optional libraries, BoringSSL's limits on configuration,
 * and native state that must be freed with each session rather than left to the collector.
 */
class OpenSslEngineTest {

    private static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @Test
    void itIsBoringSslThroughNettysEngine() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(TlsEngine.OPENSSL)) {
            assertThat(io.netty.handler.ssl.OpenSsl.versionString()).isEqualTo("BoringSSL");
            server.https()
                    .httpServer()
                    .registerUriHandler(dev.httpsd.server.UriHandler.of(
                            "/engine",
                            dev.httpsd.server.HttpMethod.GET,
                            (req, resp) -> resp.send(TlsSession.of(req.session())
                                    .orElseThrow()
                                    .channel()
                                    .engine()
                                    .getClass()
                                    .getName())));
            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/engine", p -> {})
                            .bodyText())
                    .isEqualTo(ReferenceCountedOpenSslEngine.class.getName());
        }
    }

    @Test
    void withoutItsLibrariesTheEngineRefusesToStartNamingWhatToAdd() throws Exception {
        ClassLoader none = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
        assertThatThrownBy(() -> OpenSslEngines.requireLibraries(none))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("engine");
                    assertThat(e.value()).isEqualTo(TlsEngine.OPENSSL);
                    assertThat(e.rule())
                            .contains("io.netty:netty-handler and io.netty:netty-tcnative-boringssl-static")
                            .contains("use the JDK engine");
                })
                .hasMessageStartingWith("Invalid HttpsServerConfig.engine = OPENSSL: ");

        URL handlerJar = io.netty.handler.ssl.OpenSsl.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation();
        ClassLoader handlerOnly = new URLClassLoader(new URL[] {handlerJar}, ClassLoader.getPlatformClassLoader());
        assertThatThrownBy(() -> OpenSslEngines.requireLibraries(handlerOnly))
                .hasMessageContaining("needs io.netty:netty-tcnative-boringssl-static on the class path")
                .hasMessageNotContaining("netty-handler");

        OpenSslEngines.requireLibraries(getClass().getClassLoader());
    }

    @Test
    void aReadySslContextIsForTheJdkEngineOnly() throws Exception {
        SSLContext context = SSLContext.getDefault();
        assertThatThrownBy(() -> HttpsServerConfig.builder()
                        .sslContext(context)
                        .engine(TlsEngine.OPENSSL)
                        .build())
                .isInstanceOfSatisfying(
                        InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo("engine"))
                .hasMessageContaining("works only with the JDK engine");
        try (TlsTestServer server = TlsTestServer.start(TlsEngine.OPENSSL)) {
            assertThatThrownBy(() -> server.https().reload(context))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("reload with KeyMaterial");
        }
    }

    @Test
    void tls13SuitesCannotBeNarrowedBecauseBoringSslAlwaysOffersAllThree() {
        assertThatThrownBy(() -> TlsTestServer.start(
                                TlsEngine.OPENSSL,
                                b -> b.cipherSuites(
                                        List.of("TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")))
                        .close())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("cipherSuites");
                    assertThat(e.value())
                            .isEqualTo(List.of("TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
                    assertThat(e.rule())
                            .startsWith("BoringSSL always offers all three")
                            .contains("TLS_CHACHA20_POLY1305_SHA256");
                });
    }

    @Test
    void withoutTls13AnyTls12SuitesMayBeChosen() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(
                TlsEngine.OPENSSL,
                b -> b.protocols(List.of("TLSv1.2"))
                        .cipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")))) {
            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/tls", p -> {})
                            .bodyText())
                    .startsWith("protocol=TLSv1.2 cipher=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ");
        }
    }

    @Test
    void suitesBoringSslDoesNotHaveAreRefusedNamingThem() {
        assertThatThrownBy(() -> TlsTestServer.start(
                                TlsEngine.OPENSSL,
                                b -> b.cipherSuites(List.of(
                                        "TLS_AES_128_GCM_SHA256",
                                        "TLS_AES_256_GCM_SHA384",
                                        "TLS_CHACHA20_POLY1305_SHA256",
                                        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")))
                        .close())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("cipherSuites");
                    assertThat(e.rule())
                            .isEqualTo("not supported by the OpenSSL engine (BoringSSL):"
                                    + " [TLS_DHE_RSA_WITH_AES_128_GCM_SHA256]");
                });
    }

    @Test
    void keysOtherThanEcAndRsaAreRefusedAtStart(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("ed25519.pem");
        OpenSsl.run("genpkey", "-algorithm", "ed25519", "-out", key.toString());
        KeyMaterial ed25519 = KeyMaterial.fromPemFiles(OpenSsl.selfSigned(key, dir, "ed25519-cert.pem"), key, null);

        assertThatThrownBy(() -> TlsTestServer.start(TlsEngine.OPENSSL, b -> b.serverKey(ed25519))
                        .close())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("engine");
                    assertThat(e.rule()).startsWith("the OpenSSL engine takes EC and RSA keys, not Ed");
                });
        try (TlsTestServer jdk = TlsTestServer.start(TlsEngine.JDK, b -> b.serverKey(ed25519))) {
            assertThat(jdk.https().serverKey()).contains(ed25519);
        }
    }

    /**
     * ESP's global transport context is the shared SSL context; BoringSSL's is native and has no
     * {@link SSLContext}, so the server's {@link TlsServerContext} names the engine and refuses to
     * hand out one.
     */
    @Test
    void theGlobalTransportContextNamesTheEngineAndHasNoSslContext() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(TlsEngine.OPENSSL)) {
            server.https()
                    .httpServer()
                    .registerUriHandler(dev.httpsd.server.UriHandler.of(
                            "/global", dev.httpsd.server.HttpMethod.GET, (req, resp) -> {
                                TlsServerContext tls = TlsServerContext.of(
                                                req.session().server())
                                        .orElseThrow();
                                resp.send(tls.engine() + " " + tls.clientAuth());
                            }));
            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/global", p -> {})
                            .bodyText())
                    .isEqualTo("OPENSSL NONE");

            TlsServerContext context =
                    TlsServerContext.of(server.https().httpServer()).orElseThrow();
            assertThatThrownBy(context::sslContext)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the OPENSSL engine has no SSLContext")
                    .hasMessageContaining("engine()");
            assertThat(context).hasToString("TlsServerContext[OPENSSL, clientAuth=NONE]");
        }
    }

    @Test
    void everyEngineIsFreedWithItsSessionAndTheContextWithTheServer() throws Exception {
        Certificates.Authority stranger = Certificates.authority("not trusted by the client", Duration.ofDays(1));
        TlsTestServer server = TlsTestServer.start(TlsEngine.OPENSSL);
        TlsContext context = server.https().tlsContext();
        try (SSLSocket kept = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                RawClient client = new RawClient(kept)) {
            assertThat(client.exchange(REQUEST).status()).isEqualTo(200);
            for (int i = 0; i < 20; i++) {
                assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/tls", p -> {})
                                .status())
                        .isEqualTo(200);
                // a handshake the client aborts
                assertThatThrownBy(() -> TlsFixtures.connect(
                                        TlsFixtures.clientContext(null, stranger.certificate()), server.port())
                                .close())
                        .isInstanceOf(java.io.IOException.class);
            }
            TlsResourceCheck.assertReleased(server.https(), 1);
            assertThat(context.liveEngines()).isEqualTo(1);

            server.https().reload(TlsFixtures.SERVER);
            assertThat(server.https().tlsContext().liveEngines())
                    .as("the new material has no engine yet")
                    .isZero();
            assertThat(client.exchange(REQUEST).status())
                    .as("the session made before the reload keeps its engine")
                    .isEqualTo(200);
        }
        TlsResourceCheck.assertReleased(server.https(), 0);
        server.close();
        assertThat(server.https().tlsContext().liveEngines()).isZero();
    }
}
