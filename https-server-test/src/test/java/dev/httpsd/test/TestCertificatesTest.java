package dev.httpsd.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.tls.KeyMaterial;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test CA's certificates, as PEM files the server reads back. */
class TestCertificatesTest {

    @Test
    void theServerAndClientCertificatesAreIssuedByTheCaAndWrittenAsPem(@TempDir Path dir) {
        TestCertificates certificates = TestCertificates.generate();
        TestCertificates.PemFiles files = certificates.writeTo(dir.resolve("nested"));

        KeyMaterial server = KeyMaterial.fromPemFiles(files.serverCertificate(), files.serverKey(), null);
        assertThat(server.certificate()).isEqualTo(certificates.server().certificate());
        assertThat(server.certificate().getIssuerX500Principal())
                .isEqualTo(certificates.caCertificate().getSubjectX500Principal());
        KeyMaterial client = KeyMaterial.fromPemFiles(files.clientCertificate(), files.clientKey(), null);
        assertThat(client.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=httpsd test client");
        assertThat(files.caCertificate()).content().startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void eachGenerationIsANewCa() {
        assertThat(TestCertificates.generate().caCertificate())
                .isNotEqualTo(TestCertificates.generate().caCertificate());
    }
}
