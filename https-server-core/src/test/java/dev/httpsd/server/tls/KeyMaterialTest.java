package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.UriHandler;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported form of server key material, made the way users make it (the {@code openssl}
 * command line), loads and serves TLS with exactly the certificate it holds.
 */
class KeyMaterialTest {

    @TempDir
    static Path dir;

    static Path rsaKey;
    static Path rsaCertificate;
    static Path ecKey;
    static Path ecCertificate;

    @BeforeAll
    static void makeKeys() throws Exception {
        rsaKey = OpenSsl.rsaPkcs1(dir, "rsa-pkcs1.pem");
        rsaCertificate = OpenSsl.selfSigned(rsaKey, dir, "rsa-cert.pem");
        ecKey = OpenSsl.ecSec1(dir, "ec-sec1.pem");
        ecCertificate = OpenSsl.selfSigned(ecKey, dir, "ec-cert.pem");
    }

    static Stream<Arguments> pemKeys() throws Exception {
        return Stream.of(
                Arguments.of("PKCS#1 RSA", "BEGIN RSA PRIVATE KEY", rsaKey, rsaCertificate, null, "RSA"),
                Arguments.of("SEC1 EC", "BEGIN EC PRIVATE KEY", ecKey, ecCertificate, null, "EC"),
                Arguments.of(
                        "PKCS#8 RSA",
                        "BEGIN PRIVATE KEY",
                        OpenSsl.pkcs8(rsaKey, dir, "rsa-pkcs8.pem"),
                        rsaCertificate,
                        null,
                        "RSA"),
                Arguments.of(
                        "encrypted PKCS#8 EC",
                        "BEGIN ENCRYPTED PRIVATE KEY",
                        OpenSsl.encryptedPkcs8(ecKey, dir, "ec-pkcs8-enc.pem"),
                        ecCertificate,
                        OpenSsl.PASSWORD,
                        "EC"),
                Arguments.of(
                        "legacy encrypted PKCS#1 RSA",
                        "Proc-Type: 4,ENCRYPTED",
                        OpenSsl.legacyEncryptedRsa(rsaKey, dir, "rsa-legacy-enc.pem"),
                        rsaCertificate,
                        OpenSsl.PASSWORD,
                        "RSA"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pemKeys")
    void aPemKeyMadeByOpensslLoadsAndServesItsCertificate(
            String form, String marker, Path key, Path certificate, String password, String algorithm)
            throws Exception {
        assertThat(Files.readString(key)).as("the key file really is %s", form).contains(marker);

        KeyMaterial material =
                KeyMaterial.fromPemFiles(certificate, key, password == null ? null : password.toCharArray());

        assertThat(material.privateKey().getAlgorithm()).isEqualTo(algorithm);
        assertThat(material.source()).contains(certificate.toString()).contains(key.toString());
        assertServes(HttpsServerConfig.builder().serverKey(material), readCertificate(certificate));
    }

    @Test
    void pemTextLoadsLikePemFiles() throws Exception {
        KeyMaterial material = KeyMaterial.fromPem(Files.readString(ecCertificate), Files.readString(ecKey), null);

        assertThat(material.certificate()).isEqualTo(readCertificate(ecCertificate));
        assertServes(HttpsServerConfig.builder().serverKey(material), readCertificate(ecCertificate));
    }

    @Test
    void aPkcs12KeystoreMadeByOpensslLoadsAndServes() throws Exception {
        Path store = OpenSsl.pkcs12(rsaCertificate, rsaKey, dir, "server.p12");

        KeyMaterial material = KeyMaterial.fromKeyStoreFile(store, "PKCS12", OpenSsl.PASSWORD.toCharArray(), null);

        assertThat(material.privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(material.source()).contains(store.toString());
        assertServes(HttpsServerConfig.builder().serverKey(material), readCertificate(rsaCertificate));
    }

    @Test
    void aPkcs12EntryCanBeChosenByAlias() throws Exception {
        Path store = OpenSsl.pkcs12(ecCertificate, ecKey, dir, "named.p12");

        KeyMaterial material = KeyMaterial.fromKeyStoreFile(store, null, OpenSsl.PASSWORD.toCharArray(), "server");

        assertThat(material.certificate()).isEqualTo(readCertificate(ecCertificate));
    }

    @Test
    void aReadySslContextIsUsedAsIs() throws Exception {
        Path store = OpenSsl.pkcs12(ecCertificate, ecKey, dir, "context.p12");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, OpenSsl.PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, OpenSsl.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);

        assertServes(HttpsServerConfig.builder().sslContext(context), readCertificate(ecCertificate));
    }

    /** Starts a server, then checks HttpClient and SSLSocket both get {@code expected} and a 200. */
    private static void assertServes(HttpsServerConfig.Builder builder, X509Certificate expected) throws Exception {
        HttpsServer https = HttpsServer.start(builder.portSecure(0).build());
        try {
            https.httpServer()
                    .registerUriHandler(UriHandler.of("/", HttpMethod.GET, (req, resp) -> resp.send("served")));
            SSLContext trusting = TlsFixtures.clientContext(null, expected);
            try (HttpClient client = TlsFixtures.httpClient(trusting)) {
                var response = TlsFixtures.get(client, https.port(), "/");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("served");
                SSLSession session = response.sslSession().orElseThrow();
                assertThat(session.getPeerCertificates()[0]).isEqualTo(expected);
            }
            try (SSLSocket socket = TlsFixtures.connect(trusting, https.port())) {
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(expected);
            }
        } finally {
            https.stop();
        }
    }

    static X509Certificate readCertificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
