package dev.httpsd.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
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
 * Reads certificates and private keys from PEM: certificates and unencrypted PKCS#8 keys with the
 * JDK alone (fast, no provider to load at startup), PKCS#1 RSA, SEC1 EC, encrypted PKCS#8 and
 * legacy {@code Proc-Type: 4,ENCRYPTED} keys with Bouncy Castle.
 */
final class PemReader {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS", "DSA");

    /** Loaded only for the key formats the JDK cannot read. */
    private static final class Bc {
        static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    }

    private PemReader() {}

    static List<X509Certificate> certificates(String pem, String source) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Matcher block = BLOCK.matcher(pem);
            while (block.find()) {
                if (block.group(1).equals("CERTIFICATE")) {
                    byte[] der = Base64.getMimeDecoder().decode(block.group(2).strip());
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
                }
            }
        } catch (CertificateException | RuntimeException e) {
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
        Matcher block = BLOCK.matcher(pem);
        if (block.find() && block.group(1).equals("PRIVATE KEY")) {
            PrivateKey key = pkcs8(block.group(2));
            if (key != null) {
                return key;
            }
        }
        return withBouncyCastle(pem, password, source);
    }

    /** An unencrypted PKCS#8 key through the JDK's key factories, or null when none reads it. */
    private static PrivateKey pkcs8(String base64) {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm
            }
        }
        return null;
    }

    private static PrivateKey withBouncyCastle(String pem, char[] password, String source) {
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
            return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                    .setProvider(Bc.PROVIDER)
                    .build(password));
        } catch (IOException | RuntimeException e) {
            throw wrongPassword(source, e);
        }
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] password, String source) {
        requirePassword(password, source);
        try {
            return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(Bc.PROVIDER)
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
