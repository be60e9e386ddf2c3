package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.RawHttpConnection;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** {@code POST /echo} returns the request body byte for byte, whatever its framing or size. */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleEchoTests {

    private static final int LARGE = 8 * 1024 * 1024;
    private static final int PIECE = 64 * 1024;

    @Autowired
    LocalHttpsServer server;

    @Test
    void bodyWithContentLengthIsEchoedWithItsContentType() throws Exception {
        byte[] body = "Hello, echo! Grüße\n".getBytes(StandardCharsets.UTF_8);
        var response = server.httpClient()
                .send(
                        server.request("/echo")
                                .header("Content-Type", "text/plain; charset=utf-8")
                                .POST(BodyPublishers.ofByteArray(body))
                                .build(),
                        BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void chunkedBodyIsEchoed() throws Exception {
        byte[] body = random(100_000, 1);
        // a body publisher of unknown length is sent with Transfer-Encoding: chunked
        var response = server.httpClient()
                .send(
                        server.request("/echo")
                                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                                .build(),
                        BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void emptyBodyIsEchoedEmpty() throws Exception {
        var response = server.httpClient()
                .send(server.request("/echo").POST(BodyPublishers.noBody()).build(), BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void largeChunkedBodyIsEchoedWithTheSameChecksum() throws Exception {
        byte[] body = random(LARGE, 8);
        RawHttpConnection.Response response = echoFullDuplex(body, true);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(LARGE);
        assertThat(sha256(response.body())).isEqualTo(sha256(body));
    }

    @Test
    void largeBodyWithContentLengthIsEchoedWithTheSameChecksum() throws Exception {
        byte[] body = random(LARGE, 9);
        RawHttpConnection.Response response = echoFullDuplex(body, false);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(LARGE);
        assertThat(sha256(response.body())).isEqualTo(sha256(body));
    }

    /**
     * The echo streams: its answer flows while the body still arrives, so the client must read
     * while it writes. java.net.http.HttpClient does not reliably do so over HTTP/1.1 (both sides
     * stall until the send timeout), hence a raw TLS socket with a writer thread.
     */
    private RawHttpConnection.Response echoFullDuplex(byte[] body, boolean chunked) throws Exception {
        try (Socket socket = server.connect();
                RawHttpConnection client = new RawHttpConnection(socket);
                ExecutorService writer = Executors.newSingleThreadExecutor()) {
            Future<?> upload = writer.submit(() -> {
                client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\n"
                        + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length)
                        + "\r\n\r\n");
                for (int offset = 0; offset < body.length; offset += PIECE) {
                    int length = Math.min(PIECE, body.length - offset);
                    if (chunked) {
                        client.send(Integer.toHexString(length) + "\r\n");
                    }
                    client.send(java.util.Arrays.copyOfRange(body, offset, offset + length));
                    if (chunked) {
                        client.send("\r\n");
                    }
                }
                if (chunked) {
                    client.send("0\r\n\r\n");
                }
                return null;
            });
            RawHttpConnection.Response response = client.read();
            upload.get(LocalHttpsServer.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return response;
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws java.security.NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
