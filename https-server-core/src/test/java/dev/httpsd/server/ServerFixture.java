package dev.httpsd.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts servers on loopback port 0 and always stops them (and closes the test's clients) after
 * each test. Register with {@code @RegisterExtension final ServerFixture fixture = new
 * ServerFixture();}.
 */
final class ServerFixture implements AfterEachCallback {

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<Closeable> clients = new ArrayList<>();
    private HttpServer last;

    /** The base configuration of every test server: loopback, port 0. */
    static HttpServerConfig.Builder loopback() {
        return HttpServerConfig.builder().serverPort(0).bindAddress(InetAddress.getLoopbackAddress());
    }

    HttpServer start() throws IOException {
        return start(UnaryOperator.identity());
    }

    HttpServer start(UnaryOperator<HttpServerConfig.Builder> customize) throws IOException {
        return start(customize.apply(loopback()).build());
    }

    HttpServer start(HttpServerConfig config) throws IOException {
        HttpServer server = HttpServer.start(config);
        servers.add(server);
        last = server;
        return server;
    }

    /** A raw client connected to the last started server; closed after the test. */
    RawClient connect() throws IOException {
        return connect(last);
    }

    RawClient connect(HttpServer server) throws IOException {
        RawClient client = new RawClient(server.port());
        clients.add(client);
        return client;
    }

    /** Registers a handler on the last started server. */
    void handle(String uri, HttpMethod method, RequestHandler handler) {
        last.registerUriHandler(UriHandler.of(uri, method, handler));
    }

    /** Closes something after the test. */
    <T extends Closeable> T track(T closeable) {
        clients.add(closeable);
        return closeable;
    }

    /**
     * Waits until a session is idle again: its last request is finished, every event of it
     * posted (events follow the bytes, so a client can see a response before them).
     */
    static void awaitIdle(HttpServer server, int sessionId) {
        Await.until(
                "session " + sessionId + " idle",
                () -> server.session(sessionId).map(s -> ((Session) s).isIdle()).orElse(false));
    }

    /** Whether something accepts TCP connections on this loopback port. */
    boolean portAccepts(int port) {
        try (var socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Short timeouts for tests that need one to fire. */
    static Duration shortTimeout() {
        return Duration.ofMillis(300);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Closeable client : clients) {
            try {
                client.close();
            } catch (IOException ignored) {
                // the test is over
            }
        }
        clients.clear();
        for (HttpServer server : servers) {
            server.stop();
        }
        servers.clear();
    }
}
