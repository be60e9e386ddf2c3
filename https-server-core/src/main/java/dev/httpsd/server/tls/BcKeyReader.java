package dev.httpsd.server.tls;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
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
 * The private-key formats the JDK cannot read, with Bouncy Castle: PKCS#1 RSA, SEC1 EC, encrypted
 * PKCS#8 and legacy {@code Proc-Type: 4,ENCRYPTED} keys. Loaded only when such a key is met.
 */
final class BcKeyReader {

    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private BcKeyReader() {}

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
        PemReader.requirePassword(password, source);
        try {
            return encrypted.decryptKeyPair(
                    new JcePEMDecryptorProviderBuilder().setProvider(PROVIDER).build(password));
        } catch (IOException | RuntimeException e) {
            throw wrongPassword(source, e);
        }
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] password, String source) {
        PemReader.requirePassword(password, source);
        try {
            return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(PROVIDER)
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
}
