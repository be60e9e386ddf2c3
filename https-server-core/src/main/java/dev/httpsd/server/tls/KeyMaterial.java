package dev.httpsd.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A server (or client) certificate chain with its private key, loaded and checked: the key is
 * proven to belong to the leaf certificate when the material is created. ESP's {@code
 * servercert} + {@code prvtkey_pem}.
 */
public final class KeyMaterial {

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final String source;

    private KeyMaterial(List<X509Certificate> chain, PrivateKey privateKey, String source) {
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
        this.source = source;
    }

    /**
     * From a key and its chain (leaf first).
     *
     * @throws TlsMaterialException {@code KEY_MISMATCH} when the key does not belong to the leaf
     */
    public static KeyMaterial of(PrivateKey privateKey, List<X509Certificate> chain, String source) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain == null || chain.isEmpty()) {
            throw new TlsMaterialException(TlsMaterialException.Reason.MISSING, source, "no certificate given");
        }
        requireMatch(privateKey, chain.get(0), source);
        return new KeyMaterial(chain, privateKey, source);
    }

    /**
     * From PEM text: a certificate chain (leaf first) and a private key in PKCS#1, SEC1, PKCS#8,
     * encrypted PKCS#8 or legacy encrypted form.
     *
     * @param password for an encrypted key; {@code null} when the key is not encrypted
     */
    public static KeyMaterial fromPem(String certificateChainPem, String privateKeyPem, char[] password) {
        String source = "inline PEM";
        return of(
                PemReader.privateKey(privateKeyPem, password, source),
                PemReader.certificates(certificateChainPem, source),
                source);
    }

    /** From PEM files; see {@link #fromPem}. */
    public static KeyMaterial fromPemFiles(Path certificateChain, Path privateKey, char[] password) {
        String certificates = read(certificateChain);
        String key = read(privateKey);
        String source = certificateChain + " + " + privateKey;
        return of(
                PemReader.privateKey(key, password, privateKey.toString()),
                PemReader.certificates(certificates, certificateChain.toString()),
                source);
    }

    /**
     * From a PKCS#12 (or other) keystore file.
     *
     * @param alias the key entry; {@code null} takes the first key entry
     */
    public static KeyMaterial fromKeyStoreFile(Path file, String type, char[] password, String alias) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.UNREADABLE, file.toString(), "cannot read keystore: " + e, e);
        }
        KeyStore keyStore;
        try {
            keyStore = KeyStore.getInstance(type == null ? "PKCS12" : type);
            keyStore.load(new ByteArrayInputStream(bytes), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || isPasswordFailure(e)) {
                throw passwordProblem(password, file.toString(), "keystore", e);
            }
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MALFORMED, file.toString(), "not a keystore: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MALFORMED, file.toString(), "not a keystore: " + e, e);
        }
        return fromKeyStore(keyStore, password, alias, file.toString());
    }

    /** From a loaded keystore; see {@link #fromKeyStoreFile}. */
    public static KeyMaterial fromKeyStore(KeyStore keyStore, char[] keyPassword, String alias, String source) {
        try {
            String entry = alias;
            if (entry == null) {
                for (String candidate : Collections.list(keyStore.aliases())) {
                    if (keyStore.isKeyEntry(candidate)) {
                        entry = candidate;
                        break;
                    }
                }
            }
            if (entry == null || !keyStore.isKeyEntry(entry)) {
                throw new TlsMaterialException(
                        TlsMaterialException.Reason.MISSING,
                        source,
                        alias == null
                                ? "the keystore holds no private key entry"
                                : "no key entry named '" + alias + "'");
            }
            PrivateKey key = (PrivateKey) keyStore.getKey(entry, keyPassword);
            Certificate[] stored = keyStore.getCertificateChain(entry);
            if (stored == null) {
                throw new TlsMaterialException(
                        TlsMaterialException.Reason.MISSING, source, "key entry '" + entry + "' has no certificate");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : stored) {
                chain.add((X509Certificate) certificate);
            }
            return of(key, chain, source);
        } catch (UnrecoverableKeyException e) {
            throw passwordProblem(keyPassword, source, "key", e);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(TlsMaterialException.Reason.MALFORMED, source, "unusable keystore: " + e, e);
        }
    }

    /** The chain, leaf first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Where the material came from (file names or a description). */
    public String source() {
        return source;
    }

    /**
     * Checks each certificate's validity at {@code now}.
     *
     * @return null when all are valid, else a {@link TlsMaterialException} describing the first
     *     problem (EXPIRED or NOT_YET_VALID) for the caller to throw or log
     */
    public TlsMaterialException validityProblem(Date now) {
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity(now);
            } catch (CertificateExpiredException e) {
                return new TlsMaterialException(
                        TlsMaterialException.Reason.EXPIRED,
                        source,
                        "certificate '" + certificate.getSubjectX500Principal().getName() + "' expired on "
                                + certificate.getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                return new TlsMaterialException(
                        TlsMaterialException.Reason.NOT_YET_VALID,
                        source,
                        "certificate '" + certificate.getSubjectX500Principal().getName() + "' is not valid before "
                                + certificate.getNotBefore().toInstant());
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + certificate().getSubjectX500Principal().getName() + " from " + source + "]";
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.UNREADABLE, file.toString(), "cannot read file: " + e.getMessage(), e);
        }
    }

    private static TlsMaterialException passwordProblem(char[] password, String source, String what, Exception e) {
        String message = password == null || password.length == 0
                ? "the " + what + " is protected and no password was given"
                : "wrong " + what + " password";
        return new TlsMaterialException(TlsMaterialException.Reason.WRONG_PASSWORD, source, message, e);
    }

    private static boolean isPasswordFailure(IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("password") || message.contains("mac check failed") || message.contains("integrity");
    }

    /** Proves possession: a signature by the key must verify with the certificate. */
    private static void requireMatch(PrivateKey key, X509Certificate certificate, String source) {
        String keyAlgorithm = key.getAlgorithm();
        String certificateAlgorithm = certificate.getPublicKey().getAlgorithm();
        boolean mismatch;
        try {
            String algorithm = switch (keyAlgorithm) {
                case "RSA" -> "SHA256withRSA";
                case "EC", "ECDSA" -> "SHA256withECDSA";
                case "Ed25519", "Ed448", "EdDSA" -> keyAlgorithm;
                case "RSASSA-PSS" -> "RSASSA-PSS";
                default -> null;
            };
            if (algorithm == null) {
                return; // unknown key type: the TLS handshake will tell
            }
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            }
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            mismatch = !verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            mismatch = true;
        }
        if (mismatch) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.KEY_MISMATCH,
                    source,
                    "the private key (" + keyAlgorithm + ") does not match the certificate '"
                            + certificate.getSubjectX500Principal().getName() + "' (" + certificateAlgorithm + ")");
        }
    }
}
