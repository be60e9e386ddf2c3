package dev.httpsd.benchmarks;

import dev.httpsd.server.Http2Config;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.KeyMaterial;
import dev.httpsd.server.tls.TlsEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * httpsd through its core API: {@code GET /hello}, {@code GET /bytes?n=N}, {@code POST /echo} over
 * HTTPS. Arguments: port, certificate PEM, key PEM. {@code -Dhttpsd.engine=openssl} selects the
 * OpenSSL (BoringSSL) TLS engine; {@code jdk} (JSSE) is the default. {@code -Dhttpsd.http2=true}
 * offers {@code h2} in ALPN with the core's default HTTP/2 limits (scenario j). Prints the {@code
 * tls-engine:} line the harness checks once it serves, and a {@code limits:} line: the session
 * limit, idle timeout and backlog of the running server (see {@link #httpd}).
 */
public final class CoreServer {

    static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BYTES = new byte[16 * 1024 * 1024];

    private CoreServer() {}

    public static void main(String[] args) throws Exception {
        HttpsServer https = HttpsServer.start(
                HttpsServerConfig.builder()
                        .portSecure(Integer.parseInt(args[0]))
                        .serverKey(KeyMaterial.fromPemFiles(Path.of(args[1]), Path.of(args[2]), null))
                        .engine(TlsEngine.valueOf(
                                System.getProperty("httpsd.engine", "jdk").toUpperCase(Locale.ROOT)))
                        .httpd(CoreServer::httpd)
                        .build(),
                CoreServer::register);
        Runtime.getRuntime().addShutdownHook(new Thread(https::stop));
        System.out.println(TlsEngineReport.line("httpsd core", https.httpServer()));
        HttpServerConfig running = https.httpServer().config();
        System.out.println("limits: maxOpenSockets " + running.maxOpenSockets() + ", idleTimeout "
                + running.idleTimeout() + ", backlogConn " + running.backlogConn());
    }

    /**
     * HTTP/2 on request; the session limit and the idle timeout at the core's defaults unless
     * {@code -Dhttpsd.maxOpenSockets=N} or {@code -Dhttpsd.idleTimeout=ISO-8601 duration} (the
     * idle-connections measurement's, which holds far more connections far longer).
     */
    static HttpServerConfig.Builder httpd(HttpServerConfig.Builder httpd) {
        httpd.http2(Http2Config.DEFAULTS.withEnabled(Boolean.getBoolean("httpsd.http2")));
        Integer maxOpenSockets = Integer.getInteger("httpsd.maxOpenSockets");
        if (maxOpenSockets != null) {
            httpd.maxOpenSockets(maxOpenSockets);
        }
        String idleTimeout = System.getProperty("httpsd.idleTimeout");
        if (idleTimeout != null) {
            httpd.idleTimeout(Duration.parse(idleTimeout));
        }
        return httpd;
    }

    static void register(HttpServer server) {
        server.registerUriHandler(UriHandler.of(
                "/hello",
                HttpMethod.GET,
                (request, response) -> response.contentType("text/plain").send(HELLO)));
        server.registerUriHandler(UriHandler.of("/bytes", HttpMethod.GET, (request, response) -> {
            int n = Integer.parseInt(request.queryValue("n").orElse("0"));
            response.contentType("application/octet-stream").send(BYTES, 0, Math.min(n, BYTES.length));
        }));
        server.registerUriHandler(UriHandler.of(
                "/echo",
                HttpMethod.POST,
                (request, response) -> response.contentType("application/octet-stream")
                        .send(request.body().readAllBytes())));
    }
}
