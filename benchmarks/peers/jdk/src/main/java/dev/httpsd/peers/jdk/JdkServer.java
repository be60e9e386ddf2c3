package dev.httpsd.peers.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The JDK's HttpsServer on virtual threads. Arguments: port, PKCS#12 file, password. Its settings
 * are system properties, which run.sh passes: {@code sun.net.httpserver.nodelay} (off by default)
 * and {@code sun.net.httpserver.maxIdleConnections} (200 by default).
 */
public final class JdkServer {

    private static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES = new byte[16 * 1024 * 1024];

    private JdkServer() {}

    public static void main(String[] args) throws Exception {
        char[] password = args[2].toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(Integer.parseInt(args[0])), 1024);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hello", exchange -> respond(exchange, "text/plain", HELLO, HELLO.length));
        server.createContext("/bytes", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            int n = query != null && query.startsWith("n=") ? Integer.parseInt(query.substring(2)) : 0;
            respond(exchange, "application/octet-stream", BYTES, Math.min(n, BYTES.length));
        });
        server.createContext("/echo", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            respond(exchange, "application/octet-stream", body, body.length);
        });
        server.start();
        System.out.println("tls-engine: JDK HttpsServer, JSSE provider "
                + context.getProvider().getName() + ", nodelay "
                + Boolean.getBoolean("sun.net.httpserver.nodelay") + ", maxIdleConnections "
                + Integer.getInteger("sun.net.httpserver.maxIdleConnections", 200));
    }

    private static void respond(HttpExchange exchange, String type, byte[] body, int length) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        // The server closes after a request with "Connection: close" but does not say so in the
        // response (RFC 9112 9.6: it SHOULD); a client that keeps the connection then writes its
        // next request into a closed socket (wrk counts a read error per request). Saying it here
        // is what an application on this server does to be a correct HTTP/1.1 peer.
        if ("close".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Connection"))) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body, 0, length);
        }
    }
}
