package dev.httpsd.server;

import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TlsFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The two transports a test runs over, named for WebSocket tests, which came first: {@code ws} is
 * a plain {@link HttpServer}, {@code wss} TLS through {@link HttpsServer} with the test CA's
 * certificate; HTTP tests that must hold over both use them as well. Both bind loopback port
 * 0; whatever is started or connected is closed by the test's {@link ServerFixture}.
 */
enum WsTransport {
    WS("ws"),
    WSS("wss");

    private final String scheme;

    WsTransport(String scheme) {
        this.scheme = scheme;
    }

    HttpServer start(ServerFixture fixture) throws IOException {
        return start(fixture, UnaryOperator.identity());
    }

    /** A server on loopback port 0 with this transport and the given HTTP settings. */
    HttpServer start(ServerFixture fixture, UnaryOperator<HttpServerConfig.Builder> customize) throws IOException {
        if (this == WS) {
            return fixture.start(customize);
        }
        HttpsServer https = HttpsServer.start(HttpsServerConfig.builder()
                .httpd(customize.apply(ServerFixture.loopback()).build())
                .portSecure(0)
                .serverKey(TlsFixtures.SERVER)
                .build());
        fixture.track(https::stop);
        return https.httpServer();
    }

    /** The address of {@code path} on {@code server}; the certificate names 127.0.0.1. */
    URI uri(HttpServer server, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.port() + path);
    }

    /** A JDK client that trusts the test CA; closed after the test. */
    HttpClient httpClient(ServerFixture fixture) throws Exception {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TlsFixtures.PATIENCE);
        if (this == WSS) {
            builder.sslContext(TlsFixtures.clientContext(null));
        }
        HttpClient client = builder.build();
        // close() alone waits for the WebSockets still open, which the server ends only at its
        // idle timeout (30 s): abort them first
        fixture.track(() -> {
            client.shutdownNow();
            client.close();
        });
        return client;
    }

    /** A JDK WebSocket client connected to {@code path}, delivering to {@code listener}. */
    java.net.http.WebSocket connect(
            ServerFixture fixture, HttpServer server, String path, java.net.http.WebSocket.Listener listener)
            throws Exception {
        return httpClient(fixture)
                .newWebSocketBuilder()
                .buildAsync(uri(server, path), listener)
                .get(TlsFixtures.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** A raw client over this transport (TLS handshake done for wss); closed after the test. */
    RawClient raw(ServerFixture fixture, HttpServer server) throws Exception {
        if (this == WS) {
            return fixture.connect(server);
        }
        SSLContext context = TlsFixtures.clientContext(null);
        Socket socket = context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.port());
        try {
            socket.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
            ((SSLSocket) socket).startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return fixture.track(new RawClient(socket));
    }
}
