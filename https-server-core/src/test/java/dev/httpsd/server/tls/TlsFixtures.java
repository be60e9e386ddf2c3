package dev.httpsd.server.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for TLS tests, made by the project's own generator: one CA issuing the server
 * certificate (for localhost, 127.0.0.1, ::1) and client certificates; PEM files on demand.
 */
public final class TlsFixtures {

    public static final Certificates.Authority CA = Certificates.authority("httpsd test CA", Duration.ofDays(30));
    public static final KeyMaterial SERVER =
            CA.issueServer("localhost", Duration.ofDays(30), Certificates.DEVELOPMENT_NAMES);
    public static final KeyMaterial CLIENT = CA.issueClient("test client", Duration.ofDays(30));

    private TlsFixtures() {}

    /** A client context trusting {@link #CA}, presenting {@code clientKey} when not null. */
    public static SSLContext clientContext(KeyMaterial clientKey) throws Exception {
        return clientContext(clientKey, CA.certificate());
    }

    public static SSLContext clientContext(KeyMaterial clientKey, X509Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientKey != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(
                    "client",
                    clientKey.privateKey(),
                    new char[0],
                    clientKey.chain().toArray(X509Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** Writes {@code material} as {@code name.pem} and {@code name-key.pem} in {@code dir}. */
    public static Path[] writePem(KeyMaterial material, Path dir, String name) throws Exception {
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + "-key.pem");
        Certificates.writePem(material, cert, key);
        return new Path[] {cert, key};
    }

    public static Path writeCa(Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        java.nio.file.Files.writeString(ca, Certificates.toPem(List.of(CA.certificate())));
        return ca;
    }
}
