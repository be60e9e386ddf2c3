package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.port;
import static dev.httpsd.autoconfigure.TestHttps.presentedCertificate;
import static dev.httpsd.autoconfigure.TestHttps.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.ClientAuth;
import dev.httpsd.server.tls.KeyMaterial;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** TLS material from ESP-style properties (files, classpath, inline, encrypted, CA) and from SSL bundles. */
class TlsMaterialTests {

    private static final KeyMaterial API =
            TestHttps.CA.issueServer("api.example.test", Duration.ofDays(30), List.of("api.example.test"));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0");

    @TempDir
    Path dir;

    @Test
    void certificateAndKeyFromFilePaths() throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        runner.withPropertyValues("https-server.ssl.certificate=" + pem[0], "https-server.ssl.private-key=" + pem[1])
                .run(context -> assertPresents(context, TestHttps.SERVER));
    }

    @Test
    void certificateAndKeyFromFileUrls() throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        runner.withPropertyValues(
                        "https-server.ssl.certificate=" + pem[0].toUri(), "https-server.ssl.private-key=file:" + pem[1])
                .run(context -> assertPresents(context, TestHttps.SERVER));
    }

    @Test
    void certificateAndKeyFromClasspathLocations() throws Exception {
        TestHttps.writePem(TestHttps.SERVER, Files.createDirectories(dir.resolve("tls")), "server");
        try (URLClassLoader classpath =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            runner.withClassLoader(classpath)
                    .withPropertyValues(
                            "https-server.ssl.certificate=classpath:tls/server.pem",
                            "https-server.ssl.private-key=classpath:tls/server-key.pem")
                    .run(context -> assertPresents(context, TestHttps.SERVER));
        }
    }

    @Test
    void certificateAndKeyAsInlinePem() {
        runner.withPropertyValues(TestHttps.inlineServerMaterial())
                .run(context -> assertPresents(context, TestHttps.SERVER));
    }

    @Test
    void encryptedKeyWithItsPassword() throws Exception {
        Path key = Files.writeString(
                dir.resolve("server-key.pem"), TestHttps.encryptedPem(TestHttps.SERVER.privateKey(), "s3cret"));
        runner.withPropertyValues(
                        "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                        "https-server.ssl.private-key=" + key,
                        "https-server.ssl.private-key-password=s3cret")
                .run(context -> assertPresents(context, TestHttps.SERVER));
    }

    @Test
    void caCertificateRequiresClientCertificatesSignedByIt() throws Exception {
        Path ca = TestHttps.writeCa(dir);
        runner.withPropertyValues(TestHttps.inlineServerMaterial())
                .withPropertyValues("https-server.ssl.ca-certificate=" + ca)
                .run(context -> {
                    assertThat(server(context).config().clientAuth()).isEqualTo(ClientAuth.REQUIRED);
                    assertClientCertificateRequired(context);
                });
    }

    @Test
    void sslBundleProvidesTheServerCertificate() throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.web.keystore.certificate=" + pem[0],
                        "spring.ssl.bundle.pem.web.keystore.private-key=" + pem[1],
                        "https-server.ssl.bundle=web")
                .run(context -> assertPresents(context, TestHttps.SERVER));
    }

    @Test
    void sslBundleTrustStoreVerifiesClientsWhenClientAuthIsRequired() throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        Path ca = TestHttps.writeCa(dir);
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.web.keystore.certificate=" + pem[0],
                        "spring.ssl.bundle.pem.web.keystore.private-key=" + pem[1],
                        "spring.ssl.bundle.pem.web.truststore.certificate=" + ca,
                        "https-server.ssl.bundle=web",
                        "https-server.ssl.client-auth=required")
                .run(this::assertClientCertificateRequired);
    }

    @Test
    void sslBundleOptionsRestrictTheProtocols() throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.web.keystore.certificate=" + pem[0],
                        "spring.ssl.bundle.pem.web.keystore.private-key=" + pem[1],
                        "spring.ssl.bundle.pem.web.options.enabled-protocols=TLSv1.2",
                        "https-server.ssl.bundle=web")
                .run(context -> assertThat(
                                TestHttps.handshake(port(context), null).getProtocol())
                        .isEqualTo("TLSv1.2"));
    }

    @Test
    void bundleAndPemPropertiesTogetherAreRefused() throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        runner.withPropertyValues(TestHttps.inlineServerMaterial())
                .withPropertyValues(
                        "spring.ssl.bundle.pem.web.keystore.certificate=" + pem[0],
                        "spring.ssl.bundle.pem.web.keystore.private-key=" + pem[1],
                        "https-server.ssl.bundle=web")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("set either https-server.ssl.bundle or"));
    }

    @Test
    void serverNameBundlesPresentTheirCertificateToClientsAskingForThatName() throws Exception {
        Path[] web = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        Path[] api = TestHttps.writePem(API, dir, "api");
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.web.keystore.certificate=" + web[0],
                        "spring.ssl.bundle.pem.web.keystore.private-key=" + web[1],
                        "spring.ssl.bundle.pem.api.keystore.certificate=" + api[0],
                        "spring.ssl.bundle.pem.api.keystore.private-key=" + api[1],
                        "https-server.ssl.bundle=web",
                        "https-server.ssl.server-name-bundles[0].server-name=api.example.test",
                        "https-server.ssl.server-name-bundles[0].bundle=api")
                .run(context -> {
                    assertThat(presentedCertificate(port(context), "api.example.test"))
                            .isEqualTo(API.certificate());
                    assertThat(presentedCertificate(port(context), "localhost"))
                            .isEqualTo(TestHttps.SERVER.certificate());
                    assertThat(presentedCertificate(port(context), null)).isEqualTo(TestHttps.SERVER.certificate());
                });
    }

    @Test
    void serverNameBundlesAloneNeedNoDefaultCertificate() throws Exception {
        Path[] api = TestHttps.writePem(API, dir, "api");
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.api.keystore.certificate=" + api[0],
                        "spring.ssl.bundle.pem.api.keystore.private-key=" + api[1],
                        "https-server.ssl.dev-certificate.enabled=true",
                        "https-server.ssl.dev-certificate.directory=" + dir.resolve("dev"),
                        "https-server.ssl.server-name-bundles[0].server-name=api.example.test",
                        "https-server.ssl.server-name-bundles[0].bundle=api")
                .run(context -> {
                    assertThat(presentedCertificate(port(context), "api.example.test"))
                            .isEqualTo(API.certificate());
                    assertThat(dir.resolve("dev")).doesNotExist();
                });
    }

    private void assertClientCertificateRequired(AssertableApplicationContext context) throws Exception {
        try (HttpClient withCertificate = TestHttps.client(TestHttps.CLIENT)) {
            assertThat(TestHttps.get(withCertificate, port(context), "/").statusCode())
                    .isEqualTo(404);
        }
        try (HttpClient withoutCertificate = TestHttps.client(null)) {
            assertThatExceptionOfType(IOException.class)
                    .isThrownBy(() -> TestHttps.get(withoutCertificate, port(context), "/"));
        }
    }

    private static void assertPresents(AssertableApplicationContext context, KeyMaterial expected) throws Exception {
        assertThat(context).hasNotFailed();
        assertThat(presentedCertificate(port(context), "localhost")).isEqualTo(expected.certificate());
        assertThat(TestHttps.get(context, "/").statusCode()).isEqualTo(404);
    }
}
