package dev.httpsd.server.tls;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads certificates and private keys from PEM with Bouncy Castle: PKCS#1 RSA, SEC1 EC, PKCS#8,
 * encrypted PKCS#8 and legacy {@code Proc-Type: 4,ENCRYPTED} keys.
 */
final class PemReader {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private PemReader() {}

    static List<X509Certificate> certificates(String pem, String source) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            var converter = new JcaX509CertificateConverter();
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MALFORMED, source, "not a valid PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MALFORMED, source, "no '-----BEGIN CERTIFICATE-----' block found");
        }
        return certificates;
    }

    static PrivateKey privateKey(String pem, char[] password, String source) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            // JDK key classes (algorithm "EC", not BC's "ECDSA") so JSSE and key matching treat them natively
            var converter = new JcaPEMKeyConverter();
            Object object;
            while ((object = parser.readObject()) != null) {
                switch (object) {
                    case PEMKeyPair pair -> {
                        return converter.getKeyPair(pair).getPrivate();
                    }
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMEncryptedKeyPair encrypted -> {
                        return converter
                                .getKeyPair(decrypt(encrypted, password, source))
                                .getPrivate();
                    }
                    case PKCS8EncryptedPrivateKeyInfo encrypted -> {
                        return converter.getPrivateKey(decrypt(encrypted, password, source));
                    }
                    default -> {
                        // certificates or parameters next to the key: skip
                    }
                }
            }
        } catch (TlsMaterialException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MALFORMED, source, "not a valid PEM private key: " + e.getMessage(), e);
        }
        throw new TlsMaterialException(TlsMaterialException.Reason.MALFORMED, source, "no private key block found");
    }

    /**
     * A wrong password shows as a padding error or, one time in a few hundred, as garbage that
     * does not parse: any failure to decrypt means the password is wrong.
     */
    private static PEMKeyPair decrypt(PEMEncryptedKeyPair encrypted, char[] password, String source) {
        requirePassword(password, source);
        try {
            return encrypted.decryptKeyPair(
                    new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password));
        } catch (IOException | RuntimeException e) {
            throw wrongPassword(source, e);
        }
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] password, String source) {
        requirePassword(password, source);
        try {
            return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BC)
                    .build(password));
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            throw wrongPassword(source, e);
        }
    }

    private static TlsMaterialException wrongPassword(String source, Exception cause) {
        return new TlsMaterialException(
                TlsMaterialException.Reason.WRONG_PASSWORD,
                source,
                "cannot decrypt the private key: wrong password?",
                cause);
    }

    private static void requirePassword(char[] password, String source) {
        if (password == null || password.length == 0) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.WRONG_PASSWORD,
                    source,
                    "the private key is encrypted and no password was given");
        }
    }

    /** Parses DER or PEM certificates through the JDK (used for keystores and CA files). */
    static List<X509Certificate> certificatesFromBytes(byte[] bytes, String source) {
        try {
            var factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> list = new ArrayList<>();
            for (var c : factory.generateCertificates(new java.io.ByteArrayInputStream(bytes))) {
                list.add((X509Certificate) c);
            }
            return list;
        } catch (CertificateException e) {
            throw new TlsMaterialException(TlsMaterialException.Reason.MALFORMED, source, "not a valid certificate", e);
        }
    }
}
