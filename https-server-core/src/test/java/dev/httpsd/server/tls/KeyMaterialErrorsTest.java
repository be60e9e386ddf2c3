package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.httpsd.server.tls.TlsMaterialException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unusable key material is refused with a precise {@link TlsMaterialException#reason()} and a
 * message that names the file it came from.
 */
class KeyMaterialErrorsTest {

    @TempDir
    static Path dir;

    static Path rsaKey;
    static Path rsaCertificate;
    static Path ecKey;
    static Path ecCertificate;
    static Path encryptedPkcs8;
    static Path legacyEncrypted;
    static Path keystore;

    @BeforeAll
    static void makeKeys() throws Exception {
        rsaKey = OpenSsl.rsaPkcs1(dir, "rsa.pem");
        rsaCertificate = OpenSsl.selfSigned(rsaKey, dir, "rsa-cert.pem");
        ecKey = OpenSsl.ecSec1(dir, "ec.pem");
        ecCertificate = OpenSsl.selfSigned(ecKey, dir, "ec-cert.pem");
        encryptedPkcs8 = OpenSsl.encryptedPkcs8(ecKey, dir, "ec-enc.pem");
        legacyEncrypted = OpenSsl.legacyEncryptedRsa(rsaKey, dir, "rsa-legacy.pem");
        keystore = OpenSsl.pkcs12(ecCertificate, ecKey, dir, "server.p12");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong", "s3cret-pas", "S3CRET-PASS", "another wrong one", "x"})
    void aWrongPasswordForAnEncryptedPkcs8KeyIsReportedAsSuch(String password) {
        TlsMaterialException e =
                refused(() -> KeyMaterial.fromPemFiles(ecCertificate, encryptedPkcs8, password.toCharArray()));

        assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD);
        assertThat(e.getMessage()).contains("password").contains(encryptedPkcs8.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong", "s3cret-pas", "S3CRET-PASS", "another wrong one", "x"})
    void aWrongPasswordForALegacyEncryptedKeyIsReportedAsSuch(String password) {
        TlsMaterialException e =
                refused(() -> KeyMaterial.fromPemFiles(rsaCertificate, legacyEncrypted, password.toCharArray()));

        assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD);
        assertThat(e.getMessage()).contains("password").contains(legacyEncrypted.toString());
    }

    @Test
    void anEncryptedKeyWithoutAPasswordSaysThePasswordIsMissing() {
        TlsMaterialException pkcs8 = refused(() -> KeyMaterial.fromPemFiles(ecCertificate, encryptedPkcs8, null));
        TlsMaterialException legacy = refused(() -> KeyMaterial.fromPemFiles(rsaCertificate, legacyEncrypted, null));

        assertThat(pkcs8.reason()).isEqualTo(Reason.WRONG_PASSWORD);
        assertThat(pkcs8.getMessage()).contains("no password").contains(encryptedPkcs8.toString());
        assertThat(legacy.reason()).isEqualTo(Reason.WRONG_PASSWORD);
        assertThat(legacy.getMessage()).contains("no password").contains(legacyEncrypted.toString());
    }

    @Test
    void aWrongKeystorePasswordIsReportedAsSuch() {
        TlsMaterialException e =
                refused(() -> KeyMaterial.fromKeyStoreFile(keystore, "PKCS12", "wrong".toCharArray(), null));

        assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD);
        assertThat(e.getMessage()).contains("password").contains(keystore.toString());
    }

    @Test
    void aKeystoreWithoutAPasswordSaysThePasswordIsMissing() {
        TlsMaterialException none = refused(() -> KeyMaterial.fromKeyStoreFile(keystore, "PKCS12", null, null));
        TlsMaterialException empty = refused(() -> KeyMaterial.fromKeyStoreFile(keystore, "PKCS12", new char[0], null));

        for (TlsMaterialException e : new TlsMaterialException[] {none, empty}) {
            assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSWORD);
            assertThat(e.getMessage()).contains("no password").contains(keystore.toString());
        }
    }

    @Test
    void aMissingFileIsUnreadableAndNamed() {
        Path missing = dir.resolve("no-such-file.pem");

        TlsMaterialException certificate = refused(() -> KeyMaterial.fromPemFiles(missing, ecKey, null));
        TlsMaterialException key = refused(() -> KeyMaterial.fromPemFiles(ecCertificate, missing, null));
        TlsMaterialException store = refused(() -> KeyMaterial.fromKeyStoreFile(missing, null, new char[0], null));
        TlsMaterialException ca = refused(() -> HttpsServerConfig.builder().caCertificatesFile(missing));

        for (TlsMaterialException e : new TlsMaterialException[] {certificate, key, store, ca}) {
            assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
            assertThat(e.getMessage()).contains(missing.toString());
            assertThat(e.source()).isEqualTo(missing.toString());
        }
    }

    @Test
    void aDirectoryIsUnreadableAndNamed() {
        TlsMaterialException e = refused(() -> KeyMaterial.fromPemFiles(dir, ecKey, null));

        assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
        assertThat(e.getMessage()).contains(dir.toString());
    }

    @Test
    void aKeyFileWithoutReadPermissionIsUnreadableAndNamed() throws Exception {
        Path key = Files.copy(ecKey, dir.resolve("ec-no-read.pem"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(
                    Files.isReadable(key),
                    "the tests run as root here, where a file's mode does not stop reads (chmod 000 left it"
                            + " readable); aDirectoryIsUnreadableAndNamed covers an unreadable path");

            TlsMaterialException e = refused(() -> KeyMaterial.fromPemFiles(ecCertificate, key, null));

            assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
            assertThat(e.getMessage()).contains(key.toString());
            assertThat(e.source()).isEqualTo(key.toString());
        } finally {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void aDirectoryWhereTheKeyFileShouldBeIsUnreadableAndNamed() throws Exception {
        Path key = Files.createDirectories(dir.resolve("key-is-a-directory.pem"));

        TlsMaterialException e = refused(() -> KeyMaterial.fromPemFiles(ecCertificate, key, null));

        assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
        assertThat(e.getMessage()).contains(key.toString());
        assertThat(e.source()).isEqualTo(key.toString());
    }

    @Test
    void filesThatAreNotPemAreMalformedAndNamed() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not a certificate\n", StandardCharsets.US_ASCII);

        TlsMaterialException certificate = refused(() -> KeyMaterial.fromPemFiles(text, ecKey, null));
        TlsMaterialException key = refused(() -> KeyMaterial.fromPemFiles(ecCertificate, text, null));
        TlsMaterialException certificateAsKey =
                refused(() -> KeyMaterial.fromPemFiles(ecCertificate, ecCertificate, null));

        assertThat(certificate.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(certificate.getMessage()).contains("CERTIFICATE").contains(text.toString());
        assertThat(key.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(key.getMessage()).contains("private key").contains(text.toString());
        assertThat(certificateAsKey.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(certificateAsKey.getMessage()).contains("private key").contains(ecCertificate.toString());
    }

    @Test
    void aCorruptPemBlockIsMalformed() throws Exception {
        Path corrupt = dir.resolve("corrupt.pem");
        Files.writeString(corrupt, "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n");

        TlsMaterialException e = refused(() -> KeyMaterial.fromPemFiles(corrupt, ecKey, null));

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains(corrupt.toString());
    }

    @Test
    void aFileThatIsNotAKeystoreIsMalformed() {
        TlsMaterialException e = refused(() -> KeyMaterial.fromKeyStoreFile(ecKey, "PKCS12", new char[0], null));

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains(ecKey.toString());
    }

    @Test
    void anUnknownKeystoreAliasIsMissing() {
        TlsMaterialException e = refused(
                () -> KeyMaterial.fromKeyStoreFile(keystore, "PKCS12", OpenSsl.PASSWORD.toCharArray(), "nobody"));

        assertThat(e.reason()).isEqualTo(Reason.MISSING);
        assertThat(e.getMessage()).contains("nobody").contains(keystore.toString());
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsAMismatch() {
        TlsMaterialException otherEcKey =
                refused(() -> KeyMaterial.fromPemFiles(ecCertificate, OpenSsl.ecSec1(dir, "other-ec.pem"), null));
        TlsMaterialException rsaKeyForEc = refused(() -> KeyMaterial.fromPemFiles(ecCertificate, rsaKey, null));

        assertThat(otherEcKey.reason()).isEqualTo(Reason.KEY_MISMATCH);
        assertThat(otherEcKey.getMessage())
                .contains("does not match")
                .contains(ecCertificate.toString())
                .contains("other-ec.pem");
        assertThat(rsaKeyForEc.reason()).isEqualTo(Reason.KEY_MISMATCH);
        assertThat(rsaKeyForEc.getMessage()).contains(rsaKey.toString());
    }

    @Test
    void generatedMaterialWithAForeignKeyIsAMismatch() {
        TlsMaterialException e = refused(
                () -> KeyMaterial.of(TlsFixtures.CLIENT.privateKey(), TlsFixtures.SERVER.chain(), "test material"));

        assertThat(e.reason()).isEqualTo(Reason.KEY_MISMATCH);
        assertThat(e.source()).isEqualTo("test material");
    }

    private static TlsMaterialException refused(ThrowingCallable call) {
        TlsMaterialException e = catchThrowableOfType(TlsMaterialException.class, call);
        assertThat(e).as("a TlsMaterialException").isNotNull();
        return e;
    }
}
