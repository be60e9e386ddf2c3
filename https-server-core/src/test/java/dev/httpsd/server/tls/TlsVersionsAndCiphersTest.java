package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS versions and cipher suites: 1.3 and 1.2 by default, 1.1 and 1.0 refused even to a client
 * that lowers its own security level to offer them; configurable protocols; forward-secret AEAD
 * suites only by default, configurable suites.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class TlsVersionsAndCiphersTest {

    @Parameter
    TlsEngine engine;

    @TempDir
    static Path dir;

    /** An RSA certificate, so that RSA key exchange is refused for the suite, not the key. */
    static KeyMaterial rsa;

    @BeforeAll
    static void makeRsaCertificate() throws Exception {
        Path key = OpenSsl.rsaPkcs1(dir, "rsa.pem");
        rsa = KeyMaterial.fromPemFiles(OpenSsl.selfSigned(key, dir, "rsa-cert.pem"), key, null);
    }

    @Test
    void tls13AndTls12AreServedByDefault() throws Exception {
        SSLContext client = TlsFixtures.clientContext(null);
        try (TlsTestServer server = TlsTestServer.start(engine)) {
            // JSSE follows the server's order for TLS 1.3 too; BoringSSL the client's (JSSE's
            // client lists AES-256 first)
            String tls13 = engine == TlsEngine.JDK ? "TLS_AES_128_GCM_SHA256" : "TLS_AES_256_GCM_SHA384";
            assertThat(TlsFixtures.fetch(client, server.port(), "/tls", p -> {}).bodyText())
                    .startsWith("protocol=TLSv1.3 cipher=" + tls13);
            assertThat(TlsFixtures.fetch(client, server.port(), "/tls", TlsFixtures.protocols("TLSv1.2"))
                            .bodyText())
                    .startsWith("protocol=TLSv1.2 cipher=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            assertThat(OpenSsl.sClient(server.port(), null, "-brief", "-tls1_2").output())
                    .contains("Protocol version: TLSv1.2");
            assertThat(OpenSsl.sClient(server.port(), null, "-brief", "-tls1_3").output())
                    .contains("Protocol version: TLSv1.3");
        }
        assertThat(HttpsServerConfig.DEFAULT_PROTOCOLS).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_1", "-tls1"})
    void tls11AndTls10AreRefusedEvenWhenTheClientOffersThem(String version) throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine)) {
            ExternalProcess.Result old =
                    OpenSsl.sClient(server.port(), null, "-brief", version, "-cipher", "DEFAULT@SECLEVEL=0");

            assertThat(old.exitCode()).as(old.output()).isNotZero();
            assertThat(old.output()).contains("alert protocol version").doesNotContain("CONNECTION ESTABLISHED");
        }
    }

    @Test
    void protocolsCanBeLimitedToTls12() throws Exception {
        SSLContext client = TlsFixtures.clientContext(null);
        try (TlsTestServer server = TlsTestServer.start(engine, b -> b.protocols(List.of("TLSv1.2")))) {
            try (var http = TlsFixtures.httpClient(client)) {
                assertThat(TlsFixtures.get(http, server.port(), "/tls").body()).startsWith("protocol=TLSv1.2 ");
            }
            assertThatThrownBy(() -> TlsFixtures.connect(client, server.port(), TlsFixtures.protocols("TLSv1.3"))
                            .close())
                    .isInstanceOf(IOException.class);
            ExternalProcess.Result tls13 = OpenSsl.sClient(server.port(), null, "-brief", "-tls1_3");
            assertThat(tls13.exitCode()).as(tls13.output()).isNotZero();
            assertThat(tls13.output()).doesNotContain("CONNECTION ESTABLISHED");
        }
    }

    @Test
    void protocolsCanBeLimitedToTls13() throws Exception {
        SSLContext client = TlsFixtures.clientContext(null);
        try (TlsTestServer server = TlsTestServer.start(engine, b -> b.protocols(List.of("TLSv1.3")))) {
            try (SSLSocket socket = TlsFixtures.connect(client, server.port())) {
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            assertThatThrownBy(() -> TlsFixtures.connect(client, server.port(), TlsFixtures.protocols("TLSv1.2"))
                            .close())
                    .isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA", "AES128-GCM-SHA256", "AES256-SHA256"})
    void clientsOfferingOnlyCbcOrRsaKeyExchangeSuitesAreRefusedByDefault(String suite) throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine, b -> b.serverKey(rsa))) {
            ExternalProcess.Result weak = OpenSsl.sClient(server.port(), null, "-brief", "-tls1_2", "-cipher", suite);

            assertThat(weak.exitCode()).as(weak.output()).isNotZero();
            assertThat(weak.output()).contains("handshake failure").doesNotContain("CONNECTION ESTABLISHED");

            // the same client with a forward-secret AEAD suite gets in
            ExternalProcess.Result strong =
                    OpenSsl.sClient(server.port(), null, "-brief", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
            assertThat(strong.output()).contains("Ciphersuite: ECDHE-RSA-AES128-GCM-SHA256");
        }
    }

    @Test
    void theDefaultSuitesAreForwardSecretAeadOnly() {
        assertThat(HttpsServerConfig.DEFAULT_CIPHER_SUITES)
                .allSatisfy(suite -> assertThat(suite)
                        .matches("TLS_AES_.*|TLS_CHACHA20_.*|TLS_ECDHE_.*_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_.*"));
    }

    @Test
    void configuredCipherSuitesAreTheOnlyOnesNegotiated() throws Exception {
        assumeTrue(engine == TlsEngine.JDK, "BoringSSL cannot narrow TLS 1.3 suites: see OpenSslEngineTest");
        SSLContext client = TlsFixtures.clientContext(null);
        try (TlsTestServer server = TlsTestServer.start(
                engine,
                b -> b.cipherSuites(List.of("TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256")))) {
            assertThat(TlsFixtures.fetch(client, server.port(), "/tls", p -> {}).bodyText())
                    .startsWith("protocol=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 ");
            assertThat(TlsFixtures.fetch(client, server.port(), "/tls", TlsFixtures.protocols("TLSv1.2"))
                            .bodyText())
                    .startsWith("protocol=TLSv1.2 cipher=TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 ");

            ExternalProcess.Result gcmOnly = OpenSsl.sClient(
                    server.port(), null, "-brief", "-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256");
            assertThat(gcmOnly.exitCode()).as(gcmOnly.output()).isNotZero();
            assertThat(gcmOnly.output()).doesNotContain("CONNECTION ESTABLISHED");
        }
    }

    @Test
    void unknownProtocolsAndSuitesAreRefusedNamingThem() {
        assertThatThrownBy(() -> HttpsServerConfig.builder()
                        .engine(engine)
                        .serverKey(TlsFixtures.SERVER)
                        .protocols(List.of("SSLv3"))
                        .build())
                .isInstanceOfSatisfying(
                        dev.httpsd.server.InvalidConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("protocols"))
                .hasMessageContaining("SSLv3");
        // the starter maps the field to its property: no engine may report this by message only
        assertThatThrownBy(() -> TlsTestServer.start(engine, b -> b.cipherSuites(List.of("TLS_MADE_UP_SUITE")))
                        .close())
                .isInstanceOfSatisfying(
                        dev.httpsd.server.InvalidConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("cipherSuites"))
                .hasMessageContaining("TLS_MADE_UP_SUITE");
    }
}
