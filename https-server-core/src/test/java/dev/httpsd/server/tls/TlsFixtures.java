package dev.httpsd.server.tls;

import dev.httpsd.server.RawClient;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Certificates and clients for TLS tests, made by the project's own generator: one CA issuing the
 * server certificate (for localhost, 127.0.0.1, ::1) and client certificates; PEM files on demand;
 * JSSE clients that trust the CA and always present the client certificate they are given.
 */
public final class TlsFixtures {

    public static final Certificates.Authority CA = Certificates.authority("httpsd test CA", Duration.ofDays(30));
    public static final KeyMaterial SERVER =
            CA.issueServer("localhost", Duration.ofDays(30), Certificates.DEVELOPMENT_NAMES);
    public static final KeyMaterial CLIENT = CA.issueClient("test client", Duration.ofDays(30));

    /** Generous bound for anything a test waits for on a busy machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private TlsFixtures() {}

    /** A client context trusting {@link #CA}, presenting {@code clientKey} when not null. */
    public static SSLContext clientContext(KeyMaterial clientKey) throws Exception {
        return clientContext(clientKey, CA.certificate());
    }

    /**
     * A client context trusting {@code trusted}, presenting {@code clientKey} when not null. The
     * key is presented whatever CAs the server names, so servers see untrusted certificates too
     * (JSSE's own key managers would silently send none).
     */
    public static SSLContext clientContext(KeyMaterial clientKey, X509Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManager[] keys = clientKey == null ? null : new KeyManager[] {new PresentingKeyManager(clientKey)};
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, tmf.getTrustManagers(), null);
        return context;
    }

    /** A new server-side context presenting {@link #SERVER}, for {@code sslContext(…)} and reloads. */
    public static SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "test".toCharArray();
        keys.setKeyEntry("server", SERVER.privateKey(), password, SERVER.chain().toArray(X509Certificate[]::new));
        javax.net.ssl.KeyManagerFactory factory =
                javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    /** An {@link HttpClient} over {@code context}; close it after use. */
    public static HttpClient httpClient(SSLContext context) {
        return httpClient(context, parameters -> {});
    }

    public static HttpClient httpClient(SSLContext context, Consumer<SSLParameters> tuning) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        tuning.accept(parameters);
        return HttpClient.newBuilder()
                .sslContext(context)
                .sslParameters(parameters)
                .connectTimeout(PATIENCE)
                .build();
    }

    /** GET {@code https://localhost:port/path} with a bounded wait. */
    public static HttpResponse<String> get(HttpClient client, int port, String path)
            throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                        .timeout(PATIENCE)
                        .build(),
                BodyHandlers.ofString());
    }

    /** A TLS socket to {@code localhost:port}, handshake done, with a bounded read timeout. */
    public static SSLSocket connect(SSLContext context, int port, Consumer<SSLParameters> tuning) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        try {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            SSLParameters parameters = socket.getSSLParameters();
            tuning.accept(parameters);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public static SSLSocket connect(SSLContext context, int port) throws IOException {
        return connect(context, port, parameters -> {});
    }

    /** Parameter tuning: only these protocols. */
    public static Consumer<SSLParameters> protocols(String... protocols) {
        return parameters -> parameters.setProtocols(protocols);
    }

    /** Parameter tuning: ask for {@code serverName} through SNI. */
    public static Consumer<SSLParameters> serverName(String serverName) {
        return parameters -> parameters.setServerNames(List.of(new SNIHostName(serverName)));
    }

    /** One request over a new TLS connection that is closed after the response. */
    public static RawClient.Response fetch(SSLContext context, int port, String path, Consumer<SSLParameters> tuning)
            throws IOException {
        try (RawClient client = new RawClient(connect(context, port, tuning))) {
            return client.exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        }
    }

    /** The subject of the certificate the server presents to a client tuned by {@code tuning}. */
    public static String presentedSubject(SSLContext context, int port, Consumer<SSLParameters> tuning)
            throws IOException {
        try (Socket socket = connect(context, port, tuning)) {
            X509Certificate leaf =
                    (X509Certificate) ((SSLSocket) socket).getSession().getPeerCertificates()[0];
            return leaf.getSubjectX500Principal().getName();
        }
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
        Files.writeString(ca, Certificates.toPem(List.of(CA.certificate())));
        return ca;
    }

    /** Always presents one client certificate chain, like curl and openssl do. */
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

        /** Ignores the issuers on purpose; only the key type must fit. */
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
