package dev.httpsd.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * Generates certificates with Bouncy Castle: a self-signed development certificate, and a small
 * CA issuing server and client certificates for mutual TLS. Keys are EC P-256, signatures ECDSA
 * with SHA-256.
 */
public final class Certificates {

    /** Subject alternative names of the development certificate. */
    public static final List<String> DEVELOPMENT_NAMES = List.of("localhost", "127.0.0.1", "::1");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {}

    /**
     * A self-signed EC P-256 server certificate for {@code localhost}, {@code 127.0.0.1} and
     * {@code ::1}, with serverAuth usage, valid from now for {@code validity}.
     */
    public static KeyMaterial developmentCertificate(Duration validity) {
        return selfSigned("localhost", validity, DEVELOPMENT_NAMES);
    }

    /** A self-signed EC P-256 certificate for {@code names} (DNS names or IP literals). */
    public static KeyMaterial selfSigned(String commonName, Duration validity, List<String> names) {
        KeyPair keys = newKeyPair();
        Instant now = Instant.now();
        X509Certificate certificate = sign(
                new X500Name("CN=" + commonName),
                keys.getPublic(),
                new X500Name("CN=" + commonName),
                keys.getPrivate(),
                now.minus(Duration.ofMinutes(5)),
                now.plus(validity),
                false,
                KeyPurposeId.id_kp_serverAuth,
                names);
        return KeyMaterial.of(keys.getPrivate(), List.of(certificate), "self-signed " + commonName);
    }

    /** A new certificate authority (self-signed CA certificate, EC P-256). */
    public static Authority authority(String commonName, Duration validity) {
        KeyPair keys = newKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + commonName);
        X509Certificate certificate = sign(
                name,
                keys.getPublic(),
                name,
                keys.getPrivate(),
                now.minus(Duration.ofMinutes(5)),
                now.plus(validity),
                true,
                null,
                List.of());
        return new Authority(KeyMaterial.of(keys.getPrivate(), List.of(certificate), "CA " + commonName));
    }

    /** A certificate authority that issues server and client certificates. */
    public static final class Authority {
        private final KeyMaterial material;

        private Authority(KeyMaterial material) {
            this.material = material;
        }

        /** The CA certificate and key. */
        public KeyMaterial material() {
            return material;
        }

        public X509Certificate certificate() {
            return material.certificate();
        }

        /** A server certificate (serverAuth) for {@code names}; the chain holds the leaf and the CA. */
        public KeyMaterial issueServer(String commonName, Duration validity, List<String> names) {
            Instant now = Instant.now();
            return issue(
                    commonName,
                    now.minus(Duration.ofMinutes(5)),
                    now.plus(validity),
                    KeyPurposeId.id_kp_serverAuth,
                    names);
        }

        /** A client certificate (clientAuth) valid from now for {@code validity}. */
        public KeyMaterial issueClient(String commonName, Duration validity) {
            Instant now = Instant.now();
            return issueClient(commonName, now.minus(Duration.ofMinutes(5)), now.plus(validity));
        }

        /** A client certificate with an explicit validity window (for expired-certificate tests). */
        public KeyMaterial issueClient(String commonName, Instant notBefore, Instant notAfter) {
            return issue(commonName, notBefore, notAfter, KeyPurposeId.id_kp_clientAuth, List.of());
        }

        /** A server certificate with an explicit validity window. */
        public KeyMaterial issueServer(String commonName, Instant notBefore, Instant notAfter, List<String> names) {
            return issue(commonName, notBefore, notAfter, KeyPurposeId.id_kp_serverAuth, names);
        }

        private KeyMaterial issue(
                String commonName, Instant notBefore, Instant notAfter, KeyPurposeId purpose, List<String> names) {
            KeyPair keys = newKeyPair();
            X509Certificate leaf = sign(
                    new X500Name("CN=" + commonName),
                    keys.getPublic(),
                    new X500Name(certificate().getSubjectX500Principal().getName()),
                    material.privateKey(),
                    notBefore,
                    notAfter,
                    false,
                    purpose,
                    names);
            return KeyMaterial.of(
                    keys.getPrivate(), List.of(leaf, certificate()), commonName + " issued by " + material.source());
        }
    }

    /** PEM text of certificates, in order. */
    public static String toPem(List<X509Certificate> certificates) {
        return pem(certificates.toArray());
    }

    /** PEM text of a private key (unencrypted PKCS#8). */
    public static String toPem(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null));
        } catch (PemGenerationException e) {
            throw new IllegalStateException("cannot encode the private key", e);
        }
    }

    /**
     * Writes the chain and the key as PEM files; the key file is readable by its owner only where
     * the file system supports POSIX permissions.
     */
    public static void writePem(KeyMaterial material, Path certificateFile, Path keyFile) throws IOException {
        if (certificateFile.toAbsolutePath().getParent() != null) {
            Files.createDirectories(certificateFile.toAbsolutePath().getParent());
        }
        if (keyFile.toAbsolutePath().getParent() != null) {
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
        }
        Files.writeString(certificateFile, toPem(material.chain()), StandardCharsets.US_ASCII);
        Files.writeString(keyFile, toPem(material.privateKey()), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    private static String pem(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return text.toString();
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 key generation is not available", e);
        }
    }

    private static X509Certificate sign(
            X500Name subject,
            PublicKey subjectKey,
            X500Name issuer,
            PrivateKey issuerKey,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            KeyPurposeId purpose,
            List<String> names) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    subjectKey);
            var extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
            if (ca) {
                builder.addExtension(
                        Extension.keyUsage,
                        true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (!names.isEmpty()) {
                List<GeneralName> general = new ArrayList<>();
                for (String name : names) {
                    general.add(
                            isIpLiteral(name)
                                    ? new GeneralName(
                                            GeneralName.iPAddress,
                                            InetAddress.getByName(name).getHostAddress())
                                    : new GeneralName(GeneralName.dNSName, name));
                }
                builder.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(general.toArray(GeneralName[]::new)));
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a certificate for " + subject, e);
        }
    }

    private static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }
}
