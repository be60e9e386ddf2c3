package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.Await;
import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.Http2Config;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code HttpResponse.sendFile} over real sockets: plain HTTP (the kernel's sendfile), TLS on each
 * engine (a direct buffer encrypted), and HTTP/2. Files are larger than the socket buffers, so
 * every path has to wait for the client to make room.
 */
@ParameterizedClass
@EnumSource(SendFileTest.Wire.class)
class SendFileTest {

    /** How the file travels. */
    enum Wire {
        PLAIN,
        TLS_JDK,
        TLS_OPENSSL;

        boolean tls() {
            return this != PLAIN;
        }
    }

    /** Larger than any socket buffer on loopback, and not a multiple of any piece size. */
    private static final int LARGE = 8 * 1024 * 1024 + 12_345;

    @Parameter
    Wire wire;

    @TempDir
    Path dir;

    private final EventRecorder events = new EventRecorder();
    private HttpsServer https;
    private HttpServer server;
    private Path file;
    private byte[] content;

    @BeforeEach
    void writeFile() throws IOException {
        content = new byte[LARGE];
        new Random(21).nextBytes(content);
        file = Files.write(dir.resolve("large.bin"), content);
    }

    @AfterEach
    void stop() {
        if (https != null) {
            https.stop();
        } else if (server != null) {
            server.stop();
        }
    }

    @Test
    void aFileLargerThanTheSocketBuffersArrivesWholeWithItsLengthToHttpClient() throws Exception {
        start(h -> h);
        handle(
                "/file",
                (request, response) ->
                        response.contentType("application/octet-stream").sendFile(file));

        try (HttpClient client = client()) {
            HttpResponse<byte[]> response = client.send(get("/file"), BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(LARGE));
            assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
            assertThat(Arrays.equals(response.body(), content)).isTrue();
        }
    }

    @Test
    void curlDownloadsTheFileByteForByte() throws Exception {
        start(h -> h);
        handle("/file", (request, response) -> response.sendFile(file));
        Path downloaded = dir.resolve("downloaded.bin");

        List<String> command = new java.util.ArrayList<>(List.of(
                "curl", "-sS", "--max-time", "60", "-o", downloaded.toString(), "-w", "%{http_code} %{size_download}"));
        if (wire.tls()) {
            command.addAll(List.of("--cacert", TlsFixtures.writeCa(dir).toString()));
        }
        command.add(url("/file"));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(curl.waitFor(90, TimeUnit.SECONDS)).isTrue();

        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("200 " + LARGE);
        assertThat(Files.mismatch(downloaded, file)).isEqualTo(-1L);
    }

    @Test
    void aPartOfTheFileIsSentWithItsOwnLength() throws Exception {
        start(h -> h);
        handle("/part", (request, response) -> {
            try (FileChannel channel = FileChannel.open(file)) {
                response.sendFile(channel, 1_000_001, 3_000_000);
            }
        });

        try (HttpClient client = client()) {
            HttpResponse<byte[]> response = client.send(get("/part"), BodyHandlers.ofByteArray());

            assertThat(response.headers().firstValue("content-length")).hasValue("3000000");
            assertThat(Arrays.equals(response.body(), Arrays.copyOfRange(content, 1_000_001, 4_000_001)))
                    .isTrue();
        }
    }

    @Test
    void aHeadRequestGetsTheLengthAndNoBodyAndTheConnectionServesTheNextRequest() throws Exception {
        start(h -> h);
        handle("/file", (request, response) -> response.sendFile(file));

        try (RawClient client = rawClient()) {
            client.send("HEAD /file HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawClient.Response head = client.read(true);
            // no body bytes were sent: the next response starts right after the head
            RawClient.Response next = client.exchange("GET /file HTTP/1.1\r\nHost: localhost\r\n\r\n");

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(Integer.toString(LARGE));
            assertThat(next.status()).isEqualTo(200);
            assertThat(Arrays.equals(next.body(), content)).isTrue();
        }
    }

    @Test
    void aMissingFileThrowsBeforeAnythingIsSentSoTheHandlerCanAnswer404() throws Exception {
        start(h -> h);
        handle("/missing", (request, response) -> {
            try {
                response.sendFile(dir.resolve("no-such-file"));
            } catch (NoSuchFileException e) {
                assertThat(response.isCommitted()).isFalse();
                response.sendError(HttpError.NOT_FOUND_404, "File does not exist");
            }
        });
        handle("/directory", (request, response) -> {
            try {
                response.sendFile(dir);
            } catch (FileSystemException e) {
                response.sendError(HttpError.INTERNAL_SERVER_ERROR_500, e.getReason());
            }
        });
        handle("/outside", (request, response) -> {
            try (FileChannel channel = FileChannel.open(file)) {
                response.sendFile(channel, LARGE - 10, 11);
            } catch (IllegalArgumentException e) {
                response.status(416).send(e.getMessage());
            }
        });

        try (RawClient client = rawClient()) {
            RawClient.Response missing = client.exchange("GET /missing HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.bodyText()).isEqualTo("File does not exist");
        }
        try (RawClient client = rawClient()) {
            RawClient.Response directory = client.exchange("GET /directory HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(directory.status()).isEqualTo(500);
            assertThat(directory.bodyText()).isEqualTo("not a regular file");
        }
        try (RawClient client = rawClient()) {
            RawClient.Response outside = client.exchange("GET /outside HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(outside.status()).isEqualTo(416);
            assertThat(outside.bodyText())
                    .isEqualTo("cannot send 11 bytes from byte " + (LARGE - 10) + " of a file of " + LARGE + " bytes");
        }
    }

    @Test
    void theEventsAreThoseOfASendHeadersSentThenSentDataWithTheBodyLength() throws Exception {
        start(h -> h);
        handle("/file", (request, response) -> response.sendFile(file));

        int session;
        try (RawClient client = rawClient()) {
            RawClient.Response response = client.exchange("GET /file HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(response.body()).hasSize(LARGE);
            session = events.sessionFromPort(client.localPort());
            events.awaitEvent(HttpServerEvent.Id.SENT_DATA, session);
        }

        List<HttpServerEvent> http = events.ofSession(session);
        List<HttpServerEvent.Id> ids = http.stream().map(HttpServerEvent::id).toList();
        assertThat(ids)
                .containsSubsequence(
                        HttpServerEvent.Id.ON_HEADER, HttpServerEvent.Id.HEADERS_SENT, HttpServerEvent.Id.SENT_DATA);
        assertThat(http.stream()
                        .filter(e -> e instanceof HttpServerEvent.SentData)
                        .map(e -> ((HttpServerEvent.SentData) e).length()))
                .containsExactly(LARGE);
        if (wire.tls()) {
            // every byte of the body went through the TLS send function, which posted HTTPS SENT_DATA
            long encrypted = events.https(HttpsServerEvent.SentData.class).stream()
                    .filter(e -> e.sessionId() == session)
                    .mapToLong(HttpsServerEvent.SentData::length)
                    .sum();
            assertThat(encrypted).isGreaterThan(LARGE);
        }
    }

    @Test
    void aClientThatHangsUpMidFileCostsOthersNothing() throws Exception {
        start(h -> h);
        handle("/file", (request, response) -> response.sendFile(file));

        int quitter;
        try (RawClient client = rawClient()) {
            client.send("GET /file HTTP/1.1\r\nHost: localhost\r\n\r\n");
            // a little of the body, then gone: the server is still sending
            InputStream in = client.socket().getInputStream();
            assertThat(in.readNBytes(64 * 1024)).hasSize(64 * 1024);
            quitter = events.sessionFromPort(client.localPort());
        }
        events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, quitter);

        try (HttpClient client = client()) {
            HttpResponse<byte[]> response = client.send(get("/file"), BodyHandlers.ofByteArray());
            assertThat(Arrays.equals(response.body(), content)).isTrue();
        }
        Await.until("only the new client's session left", () -> server.openSessions() <= 1);
    }

    @Test
    void http2SendsTheFileAsDataFramesWithItsLength() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(wire.tls(), "HTTP/2 is offered over TLS (ALPN)");
        start(h -> h.http2(Http2Config.DEFAULTS.withEnabled(true)));
        handle("/file", (request, response) -> response.sendFile(file));

        try (HttpClient client = client()) {
            HttpResponse<byte[]> response = client.send(get("/file"), BodyHandlers.ofByteArray());

            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(LARGE));
            assertThat(Arrays.equals(response.body(), content)).isTrue();
        }
    }

    // ---- fixtures ---------------------------------------------------------------------------------

    private void start(UnaryOperator<HttpServerConfig.Builder> customize) throws IOException {
        HttpServerConfig config = customize
                .apply(HttpServerConfig.builder()
                        .serverPort(0)
                        .bindAddress(InetAddress.getLoopbackAddress())
                        .eventListeners(List.of(events)))
                .build();
        if (wire.tls()) {
            https = HttpsServer.start(HttpsServerConfig.builder()
                    .httpd(config)
                    .portSecure(0)
                    .serverKey(TlsFixtures.SERVER)
                    .engine(wire == Wire.TLS_OPENSSL ? TlsEngine.OPENSSL : TlsEngine.JDK)
                    .build());
            server = https.httpServer();
        } else {
            server = HttpServer.start(config);
        }
    }

    private void handle(String uri, RequestHandler handler) {
        server.registerUriHandler(UriHandler.of(uri, HttpMethod.GET, handler));
    }

    private int port() {
        return https != null ? https.port() : server.port();
    }

    private String url(String path) {
        return (wire.tls() ? "https://localhost:" : "http://localhost:") + port() + path;
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(TlsFixtures.PATIENCE)
                .build();
    }

    private HttpClient client() throws Exception {
        return wire.tls()
                ? TlsFixtures.httpClient(TlsFixtures.clientContext(null))
                : HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(TlsFixtures.PATIENCE)
                        .build();
    }

    private RawClient rawClient() throws IOException {
        if (wire.tls()) {
            try {
                return new RawClient(TlsFixtures.connect(TlsFixtures.clientContext(null), port()));
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port());
        socket.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        return new RawClient(socket);
    }
}
