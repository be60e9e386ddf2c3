package dev.httpsd.sample;

import dev.httpsd.server.tls.KeyMaterial;
import dev.httpsd.server.tls.TlsFixtures;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Clients for the sample application, trusting its development certificate the way a developer
 * would: by reading it from the development certificate directory.
 */
final class SampleHttps {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final SSLContext tls;

    private SampleHttps(int port, SSLContext tls) {
        this.port = port;
        this.tls = tls;
    }

    /** Trusts the development certificate kept in {@code devCertificateDirectory}. */
    static SampleHttps trustingDevelopmentCertificate(int port, Path devCertificateDirectory) throws Exception {
        X509Certificate development = KeyMaterial.fromPemFiles(
                        devCertificateDirectory.resolve("dev-localhost.pem"),
                        devCertificateDirectory.resolve("dev-localhost-key.pem"),
                        null)
                .certificate();
        return new SampleHttps(port, TlsFixtures.clientContext(null, development));
    }

    /** Trusts {@code ca} and presents {@code clientKey} when not null. */
    static SampleHttps trusting(int port, X509Certificate ca, KeyMaterial clientKey) throws Exception {
        return new SampleHttps(port, TlsFixtures.clientContext(clientKey, ca));
    }

    HttpClient client() {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT).build();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(TIMEOUT);
    }

    HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client = client()) {
            return client.send(request(path).build(), BodyHandlers.ofString());
        }
    }

    /**
     * TLS over a socket already connected to the server (after a PROXY header, say); the handshake
     * happens on first use.
     */
    Socket layer(Socket tcp) throws Exception {
        tcp.setSoTimeout((int) TIMEOUT.toMillis());
        return tls.getSocketFactory().createSocket(tcp, "localhost", port, true);
    }

    /** A TLS socket to the server; the handshake happens on first use. */
    Socket socket() throws Exception {
        Socket socket = tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        return socket;
    }
}
