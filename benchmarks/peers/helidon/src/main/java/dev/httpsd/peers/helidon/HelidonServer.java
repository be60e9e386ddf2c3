package dev.httpsd.peers.helidon;

import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Helidon 4 SE. Arguments: port, PKCS#12 file, password, and optionally {@code nodelay=false} to
 * keep Helidon's default of Nagle's algorithm on (TCP_NODELAY is on otherwise).
 */
public final class HelidonServer {

    private static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES = new byte[16 * 1024 * 1024];

    private HelidonServer() {}

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
        boolean noDelay = args.length < 4 || !args[3].equals("nodelay=false");
        WebServer.builder()
                .port(Integer.parseInt(args[0]))
                .backlog(1024)
                .tls(Tls.builder().sslContext(context).build())
                .connectionOptions(options -> options.tcpNoDelay(noDelay))
                .routing(routing -> routing.get("/hello", (request, response) -> {
                            response.header(HeaderNames.CONTENT_TYPE, "text/plain");
                            response.send(HELLO);
                        })
                        .get("/bytes", (request, response) -> {
                            // send(byte[]) would copy the entity into the response buffer; the
                            // stream with a known length passes a slice of the shared array on
                            int n = Math.min(
                                    Integer.parseInt(request.query().first("n").orElse("0")), BYTES.length);
                            response.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
                            response.header(HeaderNames.CONTENT_LENGTH, String.valueOf(n));
                            try (OutputStream out = response.outputStream()) {
                                out.write(BYTES, 0, n);
                            }
                        })
                        .post("/echo", (request, response) -> {
                            response.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
                            response.send(request.content().as(byte[].class));
                        }))
                .build()
                .start();
        System.out.println(
                "tls-engine: Helidon, JSSE provider " + context.getProvider().getName() + ", tcpNoDelay " + noDelay);
    }
}
