package dev.httpsd.server.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;

/** Trust managers for client certificates, from the configured CA certificates. */
final class Trust {

    private Trust() {}

    /** A factory trusting exactly {@code caCertificates} (none when the list is empty). */
    static TrustManagerFactory factory(List<X509Certificate> caCertificates) throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < caCertificates.size(); i++) {
            trust.setCertificateEntry("ca-" + i, caCertificates.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory;
    }
}
