package dev.httpsd.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.Await;
import dev.httpsd.server.Http2Config;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TlsFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/2 connection under the session policies of HTTP/1.1: LRU purge spares a connection with
 * open streams and closes an idle one with GOAWAY first; the idle timeout runs only while no stream
 * is open; the flood budgets are the configured ones. Driven by the frame-level Python client of
 * {@link Http2ConnectionTest}.
 */
class Http2SessionPolicyTest {

    private final CountDownLatch heldEntered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpsServer server;

    private void start(UnaryOperator<HttpServerConfig.Builder> httpd) throws Exception {
        server = HttpsServer.start(HttpsServerConfig.builder()
                .portSecure(0)
                .portInsecure(0)
                .serverKey(TlsFixtures.SERVER)
                .httpd(h -> httpd.apply(h.http2(Http2Config.DEFAULTS.withEnabled(true))))
                .build());
        var http = server.httpServer();
        http.registerUriHandler(
                UriHandler.of("/hello", HttpMethod.GET, (req, resp) -> resp.send("hello " + req.protocol())));
        http.registerUriHandler(UriHandler.of("/held", HttpMethod.GET, (req, resp) -> {
            heldEntered.countDown();
            release.await();
            resp.send("held");
        }));
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void anIdleHttp2ConnectionIsPurgedByLruWithGoAwayFirst() throws Exception {
        start(h -> h.maxOpenSockets(1).lruPurgeEnable(true));
        CompletableFuture<String> idle = driveAsync("idle");
        Await.until(
                "the HTTP/2 connection served its request",
                () -> server.httpServer().statistics().requests() == 1);

        HttpResponse<String> arriving = http11("/hello");
        String out = idle.get(PythonH2.TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(arriving.statusCode()).isEqualTo(200);
        assertThat(out).containsSubsequence("BODY 1 ", "GOAWAY 1 " + ErrorCode.NO_ERROR.code(), "EOF");
        assertThat(server.httpServer().statistics().lruPurges()).isEqualTo(1);
    }

    @Test
    void anHttp2ConnectionWithAStreamOpenIsNeverTheLruVictim() throws Exception {
        start(h -> h.maxOpenSockets(2).lruPurgeEnable(true));
        // used before the other session, so the older one: without its open stream it would be the victim
        CompletableFuture<String> busy = driveAsync("open-after-served");
        awaitHeld();
        try (SSLSocket other = TlsFixtures.connect(
                TlsFixtures.clientContext(null),
                server.port(),
                p -> p.setApplicationProtocols(new String[] {"http/1.1"}))) {
            other.getOutputStream()
                    .write("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            readUntil(other.getInputStream(), "hello HTTP/1.1");

            HttpResponse<String> arriving = http11("/hello");

            assertThat(arriving.statusCode()).isEqualTo(200);
            assertThat(other.getInputStream().read())
                    .as("the idle HTTP/1.1 session was purged")
                    .isEqualTo(-1);
        }
        release.countDown();
        server.stop(Duration.ofSeconds(PythonH2.TIMEOUT_SECONDS));
        String out = busy.get(PythonH2.TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(out).containsSubsequence("BODY 1 ", "HEADERS 3 200", "BODY 3 " + "held".length(), "EOF");
    }

    @Test
    void theIdleTimeoutEndsAnHttp2ConnectionOnlyWhileNoStreamIsOpen() throws Exception {
        start(h -> h.idleTimeout(Duration.ofMillis(500)));
        CompletableFuture<String> busy = driveAsync("open-after-served");
        awaitHeld();

        // a connection opened later, idle with no stream, times out: the held one's clock ran as long
        String idle = drive("idle");
        release.countDown();
        String out = busy.get(PythonH2.TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(idle).containsSubsequence("BODY 1 ", "GOAWAY 1 " + ErrorCode.NO_ERROR.code(), "EOF");
        assertThat(out)
                .as("the connection with an open stream outlived the idle timeout, and timed out once it had none")
                .containsSubsequence(
                        "HEADERS 3 200", "BODY 3 " + "held".length(), "GOAWAY 3 " + ErrorCode.NO_ERROR.code(), "EOF");
        assertThat(out.indexOf("GOAWAY")).isGreaterThan(out.indexOf("BODY 3"));
    }

    @Test
    void aConfiguredPingBudgetEndsAFloodAtItsOwnCount() throws Exception {
        start(h -> h.http2(
                Http2Config.DEFAULTS.withEnabled(true).withFloodBudgets(200, 50, 5, 1000, Duration.ofMinutes(1))));

        String out = PythonH2.run(Http2ConnectionTest.CLIENT, server.port() + " ping-flood 8");

        assertThat(out)
                .containsSubsequence("SETTINGS_ACK", "GOAWAY 0 " + ErrorCode.ENHANCE_YOUR_CALM.code())
                .doesNotContain("PING_ACK 0000000000000005");
        assertThat(out.lines().filter(line -> line.startsWith("PING_ACK"))).hasSize(5);
    }

    private String drive(String scenario) throws Exception {
        return PythonH2.run(Http2ConnectionTest.CLIENT, server.port() + " " + scenario + " 0");
    }

    private CompletableFuture<String> driveAsync(String scenario) {
        return PythonH2.runAsync(Http2ConnectionTest.CLIENT, server.port() + " " + scenario + " 0");
    }

    private void awaitHeld() throws InterruptedException {
        assertThat(heldEntered.await(PythonH2.TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .as("the held stream's handler runs")
                .isTrue();
    }

    private HttpResponse<String> http11(String path) throws Exception {
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(TlsFixtures.clientContext(null))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TlsFixtures.PATIENCE)
                .build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                            .timeout(TlsFixtures.PATIENCE)
                            .build(),
                    BodyHandlers.ofString());
        }
    }

    private static void readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.US_ASCII).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before " + end + ": " + seen.toString(StandardCharsets.US_ASCII));
            }
            seen.write(b);
        }
    }
}
