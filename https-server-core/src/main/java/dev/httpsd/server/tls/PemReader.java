package dev.httpsd.server.tls;

import java.io.ByteArrayInputStream;
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

/**
 * Reads certificates and private keys from PEM: certificates and unencrypted PKCS#8 keys with the
 * JDK alone, other key formats through {@link BcKeyReader}. This class names no Bouncy Castle type,
 * so loading it loads none of Bouncy Castle (a few hundred milliseconds at startup).
 */
final class PemReader {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS", "DSA");

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
        return BcKeyReader.privateKey(pem, password, source);
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

    static void requirePassword(char[] password, String source) {
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
            for (var c : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
                list.add((X509Certificate) c);
            }
            return list;
        } catch (CertificateException e) {
            throw new TlsMaterialException(TlsMaterialException.Reason.MALFORMED, source, "not a valid certificate", e);
        }
    }
}
