package dev.httpsd.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.util.DefaultUriBuilderFactory;
import org.springframework.web.util.UriBuilder;
import org.springframework.web.util.UriBuilderFactory;

/**
 * The httpsd server of a {@code @SpringBootTest} context, seen from a client: its port and base
 * URI, read when asked (a restarted server may have a new port), and clients that trust the
 * context's test certificate and present its client certificate under {@link MutualTls}. A bean of
 * every {@code @SpringBootTest} context; the context also has a {@link RestTestClient} bean built
 * from it unless the test defines one.
 */
public final class LocalHttpsServer {

    /** How long the clients wait for a connection or a response: far above normal, a safety net. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String PORT = "local.https-server.port";
    private static final String INSECURE_PORT = "local.https-server.port-insecure";

    private final Environment environment;
    private final TestCertificates certificates;
    private final boolean mutualTls;
    private final ReentrantLock lock = new ReentrantLock();
    private HttpClient httpClient;
    private RestTestClient restTestClient;

    LocalHttpsServer(Environment environment, TestCertificates certificates, boolean mutualTls) {
        this.environment = environment;
        this.certificates = certificates;
        this.mutualTls = mutualTls;
    }

    /**
     * The port the server listens on ({@code local.https-server.port}).
     *
     * @throws IllegalStateException when no httpsd server runs in this context
     */
    public int port() {
        Integer port = environment.getProperty(PORT, Integer.class);
        if (port == null) {
            throw new IllegalStateException("no httpsd server runs in this test context (" + PORT + " is not set):"
                    + " use @SpringBootTest(webEnvironment = RANDOM_PORT) or DEFINED_PORT; in MOCK and NONE the"
                    + " server starts only when the test sets https-server.enabled=true or a port of its own");
        }
        return port;
    }

    /** The port of the redirecting plain HTTP listener ({@code redirect-insecure}), when there is one. */
    public OptionalInt insecurePort() {
        Integer port = environment.getProperty(INSECURE_PORT, Integer.class);
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** {@code https}, or {@code http} when the server runs in {@code transport-mode: insecure}. */
    public String scheme() {
        String mode = environment.getProperty("https-server.transport-mode", "secure");
        return mode.strip().toLowerCase(Locale.ROOT).equals("insecure") ? "http" : "https";
    }

    /** The URI of {@code pathAndQuery} on the server, e.g. {@code https://localhost:41234/hello?name=Ada}. */
    public URI uri(String pathAndQuery) {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("a path starts with '/': " + pathAndQuery);
        }
        return URI.create(scheme() + "://localhost:" + port() + pathAndQuery);
    }

    /** The context's certificates: the test CA, the server's certificate and the client certificate. */
    public TestCertificates certificates() {
        return certificates;
    }

    /** Whether the test asked for {@link MutualTls}: the clients then present {@link TestCertificates#client()}. */
    public boolean mutualTls() {
        return mutualTls;
    }

    /** A TLS context trusting the test CA, presenting the client certificate under {@link MutualTls}. */
    public SSLContext sslContext() {
        return mutualTls ? certificates.mutualTlsClientContext() : certificates.clientContext();
    }

    /** A TLS context trusting the test CA and presenting no client certificate. */
    public SSLContext sslContextWithoutClientCertificate() {
        return certificates.clientContext();
    }

    /** The context's client with {@link #sslContext()}; shared, closed with the context. */
    public HttpClient httpClient() {
        lock.lock();
        try {
            if (httpClient == null) {
                httpClient = httpClient(sslContext());
            }
            return httpClient;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new client with {@code sslContext}; the caller closes it. Over TLS it offers HTTP/2 and
     * HTTP/1.1 through ALPN, as browsers do, and the server picks HTTP/1.1; over plain HTTP it
     * speaks HTTP/1.1 from the start rather than asking for an {@code h2c} upgrade.
     */
    public HttpClient httpClient(SSLContext sslContext) {
        return HttpClient.newBuilder()
                .version("https".equals(scheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext)
                .connectTimeout(TIMEOUT)
                .build();
    }

    /** A request to {@code pathAndQuery} with {@link #TIMEOUT}, for {@link #httpClient()}. */
    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT);
    }

    /** GET {@code pathAndQuery} with {@link #httpClient()}, the body as UTF-8 text. */
    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return httpClient().send(request(pathAndQuery).build(), BodyHandlers.ofString());
    }

    /**
     * A {@link RestTestClient} bound to the server with the context's {@link #httpClient()}: relative
     * URIs go to the server's current port.
     */
    public RestTestClient restTestClient() {
        lock.lock();
        try {
            if (restTestClient == null) {
                restTestClient = restTestClient(httpClient());
            }
            return restTestClient;
        } finally {
            lock.unlock();
        }
    }

    /** A {@link RestTestClient} bound to the server through {@code client}. */
    public RestTestClient restTestClient(HttpClient client) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(TIMEOUT);
        return RestTestClient.bindToServer(requests)
                .uriBuilderFactory(new ServerUriBuilderFactory(this))
                .build();
    }

    /**
     * A socket connected to the server on the loopback address, its TLS handshake done with {@link
     * #sslContext()} (plain in {@code transport-mode: insecure}), reads bounded by {@link #TIMEOUT}:
     * for raw protocol tests.
     */
    public Socket connect() throws IOException {
        Socket socket = "https".equals(scheme())
                ? sslContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port())
                : new Socket(InetAddress.getLoopbackAddress(), port());
        try {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            if (socket instanceof SSLSocket tls) {
                tls.startHandshake();
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Stops the shared client: the context is closing. At once: {@code close()} would wait for
     * exchanges still open, a WebSocket's for one.
     */
    void close() {
        lock.lock();
        try {
            if (httpClient != null) {
                httpClient.shutdownNow();
                httpClient = null;
                restTestClient = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        Integer port = environment.getProperty(PORT, Integer.class);
        return "LocalHttpsServer " + (port == null ? "(not running)" : scheme() + "://localhost:" + port);
    }

    /** Relative URIs against the server's current base URI, resolved at each request. */
    private record ServerUriBuilderFactory(LocalHttpsServer server) implements UriBuilderFactory {

        private UriBuilderFactory current() {
            return new DefaultUriBuilderFactory(server.scheme() + "://localhost:" + server.port());
        }

        @Override
        public UriBuilder uriString(String uriTemplate) {
            return current().uriString(uriTemplate);
        }

        @Override
        public UriBuilder builder() {
            return current().builder();
        }

        @Override
        public URI expand(String uriTemplate, Map<String, ?> uriVariables) {
            return current().expand(uriTemplate, uriVariables);
        }

        @Override
        public URI expand(String uriTemplate, Object... uriVariables) {
            return current().expand(uriTemplate, uriVariables);
        }
    }
}
