package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator: the development certificate is what the docs promise and round-trips through
 * PEM files, and the CA helper issues certificates that real clients accept.
 */
class CertificatesTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    @Test
    void theDevelopmentCertificateIsASelfSignedP256ServerCertificateForLoopback() throws Exception {
        KeyMaterial dev = Certificates.developmentCertificate(Duration.ofDays(7));
        X509Certificate certificate = dev.certificate();

        assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) certificate.getPublicKey())
                        .getParams()
                        .getCurve()
                        .getField()
                        .getFieldSize())
                .isEqualTo(256);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        assertThat(subjectAlternativeNames(certificate))
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(dev.chain()).containsExactly(certificate);
    }

    @Test
    void theDevelopmentCertificateIsValidNowForTheRequestedTime() {
        X509Certificate certificate =
                Certificates.developmentCertificate(Duration.ofDays(3)).certificate();

        assertThat(certificate.getNotBefore().toInstant()).isBefore(Instant.now());
        assertThat(certificate.getNotAfter().toInstant())
                .isBetween(
                        Instant.now().plus(Duration.ofDays(3)).minusSeconds(120),
                        Instant.now().plus(Duration.ofDays(3)));
    }

    @Test
    void theDevelopmentCertificateRoundTripsThroughPemFilesAndServesCurl() throws Exception {
        KeyMaterial dev = Certificates.developmentCertificate(Duration.ofDays(1));
        Path certificate = dir.resolve("dev/cert.pem");
        Path key = dir.resolve("dev/key.pem");

        Certificates.writePem(dev, certificate, key);
        KeyMaterial loaded = KeyMaterial.fromPemFiles(certificate, key, null);

        assertThat(loaded.chain()).isEqualTo(dev.chain());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(dev.privateKey().getEncoded());
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");

        try (TlsTestServer server = TlsTestServer.start(b -> b.serverKey(loaded))) {
            ExternalProcess.Result curl = ExternalProcess.run(
                    Duration.ofSeconds(30),
                    "curl",
                    "-sS",
                    "--max-time",
                    "20",
                    "--cacert",
                    certificate.toString(),
                    "https://localhost:" + server.port() + "/tls");
            assertThat(curl.exitCode()).as(curl.output()).isZero();
            assertThat(curl.output()).startsWith("protocol=TLSv1.3");
        }
    }

    @Test
    void theCaIssuesServerAndClientCertificatesChainedToIt() throws Exception {
        Certificates.Authority ca = Certificates.authority("issuer", Duration.ofDays(2));
        KeyMaterial server = ca.issueServer("server", Duration.ofDays(1), List.of("localhost", "127.0.0.1"));
        KeyMaterial client = ca.issueClient("alice", Duration.ofDays(1));

        assertThat(ca.certificate().getBasicConstraints()).isNotNegative();
        assertThat(server.chain()).containsExactly(server.certificate(), ca.certificate());
        server.certificate().verify(ca.certificate().getPublicKey());
        client.certificate().verify(ca.certificate().getPublicKey());
        assertThat(server.certificate().getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(client.certificate().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(client.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=alice");
        assertThat(subjectAlternativeNames(server.certificate())).containsExactly("localhost", "127.0.0.1");
    }

    @Test
    void anIssuedChainRoundTripsThroughPemFilesLeafFirst() throws Exception {
        Path[] files = TlsFixtures.writePem(TlsFixtures.SERVER, dir, "chain");

        KeyMaterial loaded = KeyMaterial.fromPemFiles(files[0], files[1], null);

        assertThat(loaded.chain()).containsExactly(TlsFixtures.SERVER.certificate(), TlsFixtures.CA.certificate());
    }

    @Test
    void explicitValidityWindowsAreKept() {
        Instant notBefore = Instant.parse("2020-01-01T00:00:00Z");
        Instant notAfter = Instant.parse("2020-06-01T00:00:00Z");

        KeyMaterial client = TlsFixtures.CA.issueClient("old", notBefore, notAfter);
        KeyMaterial server = TlsFixtures.CA.issueServer("old", notBefore, notAfter, List.of("localhost"));

        assertThat(client.certificate().getNotBefore().toInstant()).isEqualTo(notBefore);
        assertThat(client.certificate().getNotAfter().toInstant()).isEqualTo(notAfter);
        assertThat(server.certificate().getNotAfter().toInstant()).isEqualTo(notAfter);
        assertThat(client.validityProblem(new Date()).reason()).isEqualTo(TlsMaterialException.Reason.EXPIRED);
    }

    @Test
    void aClientCertificateFromTheCaIsAcceptedForMutualTlsByCurl() throws Exception {
        Path[] client = TlsFixtures.writePem(TlsFixtures.CLIENT, dir, "client");
        Path ca = TlsFixtures.writeCa(dir);
        try (TlsTestServer server = TlsTestServer.start(b -> b.caCertificates(List.of(TlsFixtures.CA.certificate())))) {
            ExternalProcess.Result curl = ExternalProcess.run(
                    Duration.ofSeconds(30),
                    "curl",
                    "-sS",
                    "--max-time",
                    "20",
                    "--cacert",
                    ca.toString(),
                    "--cert",
                    client[0].toString(),
                    "--key",
                    client[1].toString(),
                    "https://localhost:" + server.port() + "/tls");

            assertThat(curl.exitCode()).as(curl.output()).isZero();
            assertThat(curl.output()).contains("peer=CN=test client,CN=httpsd test CA");
        }
    }

    private static List<String> subjectAlternativeNames(X509Certificate certificate) throws Exception {
        List<String> names = new ArrayList<>();
        Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
        if (entries != null) {
            for (List<?> entry : entries) {
                names.add(String.valueOf(entry.get(1)));
            }
        }
        return names;
    }
}
