package dev.httpsd.test;

import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A small certificate authority for tests, made by httpsd's own generator: a CA, a server
 * certificate it issued for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, and a client
 * certificate for mutual TLS. Each {@code @SpringBootTest} context gets its own (see {@link
 * LocalHttpsServer#certificates()}); tests that configure a server by hand can {@link #generate()}
 * one.
 */
public final class TestCertificates {

    /** Far beyond any test run and Spring Boot's 14-day expiry warning, short enough not to pass for real certificates. */
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final Certificates.Authority authority;
    private final KeyMaterial server;
    private final KeyMaterial client;

    private TestCertificates(Certificates.Authority authority, KeyMaterial server, KeyMaterial client) {
        this.authority = authority;
        this.server = server;
        this.client = client;
    }

    /** A new CA with its server and client certificates (EC P-256). */
    public static TestCertificates generate() {
        Certificates.Authority authority = Certificates.authority("httpsd test CA", VALIDITY);
        return new TestCertificates(
                authority,
                authority.issueServer("localhost", VALIDITY, Certificates.DEVELOPMENT_NAMES),
                authority.issueClient("httpsd test client", VALIDITY));
    }

    /** The CA, which can issue more certificates. */
    public Certificates.Authority authority() {
        return authority;
    }

    /** The CA certificate: what clients trust, and what the server trusts for client certificates. */
    public X509Certificate caCertificate() {
        return authority.certificate();
    }

    /** The server's key and certificate chain. */
    public KeyMaterial server() {
        return server;
    }

    /** A client key and certificate the CA issued, for mutual TLS. */
    public KeyMaterial client() {
        return client;
    }

    /**
     * Writes the PEM files into {@code directory}: {@code ca.pem}, {@code server.pem}, {@code
     * server-key.pem}, {@code client.pem} and {@code client-key.pem}.
     */
    public PemFiles writeTo(Path directory) {
        try {
            Files.createDirectories(directory);
            PemFiles files = new PemFiles(
                    directory.resolve("ca.pem"),
                    directory.resolve("server.pem"),
                    directory.resolve("server-key.pem"),
                    directory.resolve("client.pem"),
                    directory.resolve("client-key.pem"));
            Files.writeString(
                    files.caCertificate(), Certificates.toPem(List.of(caCertificate())), StandardCharsets.US_ASCII);
            Certificates.writePem(server, files.serverCertificate(), files.serverKey());
            Certificates.writePem(client, files.clientCertificate(), files.clientKey());
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the test certificates into " + directory, e);
        }
    }

    /** Where {@link #writeTo} put the PEM files. */
    public record PemFiles(
            Path caCertificate, Path serverCertificate, Path serverKey, Path clientCertificate, Path clientKey) {}

    /** A client TLS context trusting the CA and presenting no certificate. */
    public SSLContext clientContext() {
        return clientContext(null, caCertificate());
    }

    /** A client TLS context trusting the CA and presenting {@link #client()}. */
    public SSLContext mutualTlsClientContext() {
        return clientContext(client, caCertificate());
    }

    /**
     * A client TLS context trusting {@code trusted}, presenting {@code clientKey} when not null. The
     * key is presented whatever CAs the server names, as curl and openssl do, so a server sees
     * untrusted client certificates too (JSSE's own key managers would send none).
     */
    public static SSLContext clientContext(KeyMaterial clientKey, X509Certificate... trusted) {
        Objects.requireNonNull(trusted, "trusted");
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                trust.setCertificateEntry("trusted-" + i, trusted[i]);
            }
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManager[] keys = clientKey == null ? null : new KeyManager[] {new PresentingKeyManager(clientKey)};
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build a client TLS context", e);
        }
    }

    /** Presents one client certificate chain whatever issuers the server asks for. */
    private static final class PresentingKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "client";
        private final KeyMaterial key;

        PresentingKeyManager(KeyMaterial key) {
            this.key = key;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return fits(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return fits(keyTypes);
        }

        private String fits(String[] keyTypes) {
            return List.of(keyTypes).contains(key.privateKey().getAlgorithm()) ? ALIAS : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return key.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key.privateKey();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
