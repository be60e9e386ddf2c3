package dev.httpsd.peers.helidon;

import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Helidon 4 SE with TCP_NODELAY on. Arguments: port, PKCS#12 file, password. */
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
        WebServer.builder()
                .port(Integer.parseInt(args[0]))
                .backlog(1024)
                .tls(Tls.builder().sslContext(context).build())
                .connectionOptions(options -> options.tcpNoDelay(true))
                .routing(routing -> routing.get("/hello", (request, response) -> {
                            response.header(HeaderNames.CONTENT_TYPE, "text/plain");
                            response.send(HELLO);
                        })
                        .get("/bytes", (request, response) -> {
                            int n = Integer.parseInt(request.query().first("n").orElse("0"));
                            response.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
                            response.send(Arrays.copyOf(BYTES, Math.min(n, BYTES.length)));
                        })
                        .post("/echo", (request, response) -> {
                            response.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
                            response.send(request.content().as(byte[].class));
                        }))
                .build()
                .start();
    }
}
