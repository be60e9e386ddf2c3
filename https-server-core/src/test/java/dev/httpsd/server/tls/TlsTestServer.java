package dev.httpsd.server.tls;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;

/**
 * An {@link HttpsServer} on port 0 for one test, with {@link TlsFixtures#SERVER} by default and a
 * {@code GET /tls} handler that describes the request's TLS session in one line.
 */
final class TlsTestServer implements AutoCloseable {

    private final HttpsServer https;

    private TlsTestServer(HttpsServer https) {
        this.https = https;
    }

    /** Starts with {@code portSecure(0)}, {@code portInsecure(0)} and the fixture certificate. */
    static TlsTestServer start(UnaryOperator<HttpsServerConfig.Builder> customizer) throws IOException {
        return start(TlsEngine.JDK, customizer);
    }

    /** Like {@link #start(UnaryOperator)} with {@code engine}; the customizer may still change it. */
    static TlsTestServer start(TlsEngine engine, UnaryOperator<HttpsServerConfig.Builder> customizer)
            throws IOException {
        HttpsServerConfig.Builder builder = HttpsServerConfig.builder()
                .portSecure(0)
                .portInsecure(0)
                .serverKey(TlsFixtures.SERVER)
                .engine(engine);
        HttpsServer https = HttpsServer.start(customizer.apply(builder).build());
        try {
            https.httpServer()
                    .registerUriHandler(UriHandler.of(
                            "/tls",
                            HttpMethod.GET,
                            (req, resp) -> resp.contentType("text/plain").send(describe(req))));
        } catch (RuntimeException e) {
            https.stop();
            throw e;
        }
        return new TlsTestServer(https);
    }

    /**
     * Skips the calling test, saying why, where the OpenSSL engine's native library (netty-tcnative
     * BoringSSL) does not load on this platform: its tests need BoringSSL itself, not a stand-in.
     */
    static void assumeOpenSslEngine() {
        Assumptions.assumeTrue(
                io.netty.handler.ssl.OpenSsl.isAvailable(),
                () -> "the OpenSSL engine's native library (netty-tcnative BoringSSL) is not available on this"
                        + " platform (" + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                        + "): " + io.netty.handler.ssl.OpenSsl.unavailabilityCause());
    }

    static TlsTestServer start() throws IOException {
        return start(builder -> builder);
    }

    static TlsTestServer start(TlsEngine engine) throws IOException {
        return start(engine, builder -> builder);
    }

    /**
     * {@code protocol=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256 sni=localhost alpn=http/1.1
     * peer=CN=test client,CN=httpsd test CA}, or {@code plain} without TLS.
     */
    static String describe(HttpRequest request) {
        return TlsSession.of(request.session())
                .map(tls -> "protocol=" + tls.protocol()
                        + " cipher=" + tls.cipherSuite()
                        + " sni=" + tls.serverName().orElse("-")
                        + " alpn=" + tls.applicationProtocol().orElse("-")
                        + " peer="
                        + tls.peerCertificates().stream()
                                .map(X509Certificate::getSubjectX500Principal)
                                .map(Object::toString)
                                .reduce((a, b) -> a + "," + b)
                                .orElse("-"))
                .orElse("plain");
    }

    HttpsServer https() {
        return https;
    }

    int port() {
        return https.port();
    }

    @Override
    public void close() {
        https.stop();
    }
}
