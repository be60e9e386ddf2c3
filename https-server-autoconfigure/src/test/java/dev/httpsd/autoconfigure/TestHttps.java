package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.KeyMaterial;
import dev.httpsd.test.RawHttpConnection;
import dev.httpsd.test.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.springframework.context.ApplicationContext;

/**
 * TLS material as property values and HTTPS clients for the auto-configuration tests, on
 * https-server-test's {@link TestCertificates}: one CA for the whole run issuing the server
 * certificate (localhost, 127.0.0.1, ::1) and a client certificate.
 */
public final class TestHttps {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final TestCertificates CERTIFICATES = TestCertificates.generate();

    /** The test CA. */
    public static final Certificates.Authority CA = CERTIFICATES.authority();

    /** The server key and certificate the CA issued. */
    public static final KeyMaterial SERVER = CERTIFICATES.server();

    /** A client key and certificate the CA issued. */
    public static final KeyMaterial CLIENT = CERTIFICATES.client();

    private TestHttps() {}

    /** A client context trusting {@link #CA}, presenting {@code clientKey} when not null. */
    public static SSLContext clientContext(KeyMaterial clientKey) {
        return TestCertificates.clientContext(clientKey, CA.certificate());
    }

    /** A client context trusting {@code trusted}, presenting {@code clientKey} (whatever CAs the server names) when not null. */
    public static SSLContext clientContext(KeyMaterial clientKey, X509Certificate trusted) {
        return TestCertificates.clientContext(clientKey, trusted);
    }

    /** Writes {@code material} as {@code name.pem} and {@code name-key.pem} in {@code dir}. */
    public static Path[] writePem(KeyMaterial material, Path dir, String name) throws IOException {
        Path certificate = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + "-key.pem");
        Certificates.writePem(material, certificate, key);
        return new Path[] {certificate, key};
    }

    /** Writes the CA certificate as {@code ca.pem} in {@code dir}. */
    public static Path writeCa(Path dir) throws IOException {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, Certificates.toPem(List.of(CA.certificate())), StandardCharsets.US_ASCII);
        return ca;
    }

    /** A TLS socket to {@code localhost:port}, handshake done, reads bounded by {@link #TIMEOUT}. */
    public static SSLSocket connect(SSLContext context, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        try {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** One GET over a new TLS connection, closed after the response. */
    public static RawHttpConnection.Response fetch(SSLContext context, int port, String path) throws IOException {
        try (RawHttpConnection connection = new RawHttpConnection(connect(context, port))) {
            return connection.exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        }
    }

    /** {@code https-server.ssl.certificate/private-key} as inline PEM of {@link #SERVER}. */
    static String[] inlineServerMaterial() {
        return new String[] {
            "https-server.ssl.certificate=" + Certificates.toPem(SERVER.chain()),
            "https-server.ssl.private-key=" + Certificates.toPem(SERVER.privateKey())
        };
    }

    /** The port published as {@code local.https-server.port}. */
    static int port(ApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty(HttpsServerLifecycle.PORT_PROPERTY));
    }

    static HttpsServer server(ApplicationContext context) {
        return context.getBean(HttpsServerLifecycle.class).server();
    }

    /**
     * A client trusting the test CA, presenting {@code clientKey} when not null. It speaks
     * HTTP/1.1 although the starter offers h2 by default: the tests built on it assert HTTP/1.1's
     * framing, headers and session threads; HTTP/2 tests build their own {@code HTTP_2} client.
     */
    static HttpClient client(KeyMaterial clientKey) throws Exception {
        return HttpClient.newBuilder()
                .sslContext(clientContext(clientKey))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                        .timeout(TIMEOUT)
                        .build(),
                BodyHandlers.ofString());
    }

    static HttpResponse<String> get(ApplicationContext context, String path) throws Exception {
        try (HttpClient client = client(null)) {
            return get(client, port(context), path);
        }
    }

    /** A request to the context's server, to be given a method, headers and a body. */
    static HttpRequest.Builder request(ApplicationContext context, String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + port(context) + path))
                .timeout(TIMEOUT);
    }

    /** Sends a request with a fresh client trusting the test CA, the body read as text. */
    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        try (HttpClient client = client(null)) {
            return client.send(request.build(), BodyHandlers.ofString());
        }
    }

    /** Sends a request with a fresh client, the body read as bytes. */
    static HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) throws Exception {
        try (HttpClient client = client(null)) {
            return client.send(request.build(), BodyHandlers.ofByteArray());
        }
    }

    /**
     * Handshakes with the server, trusting whatever it presents, and returns the session: which
     * certificate, protocol and cipher suite it chose. {@code serverName} is sent as SNI when not
     * null.
     */
    static SSLSession handshake(int port, String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
        try (SSLSocket socket =
                (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            if (serverName != null) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
                socket.setSSLParameters(parameters);
            }
            socket.startHandshake();
            return socket.getSession();
        }
    }

    /** The leaf certificate the server presents on a new handshake. */
    static X509Certificate presentedCertificate(int port, String serverName) throws Exception {
        return (X509Certificate) handshake(port, serverName).getPeerCertificates()[0];
    }

    /** A raw TLS socket trusting the test CA, handshake not yet done. */
    static Socket tlsSocket(int port, KeyMaterial clientKey) throws Exception {
        Socket socket =
                clientContext(clientKey).getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        return socket;
    }

    /** An encrypted PKCS#8 PEM ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}). */
    static String encryptedPem(PrivateKey key, String password) throws Exception {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .setPassword(password.toCharArray())
                .build();
        var text = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, encryptor));
        }
        return text.toString();
    }

    /** Only for learning which certificate a server presents; never for checking it. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
