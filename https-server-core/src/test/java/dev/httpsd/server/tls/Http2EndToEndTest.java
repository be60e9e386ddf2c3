package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.Await;
import dev.httpsd.server.Http2Config;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.WebSocket;
import dev.httpsd.server.WsFrame;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP/2 end to end over TLS with real clients ({@code java.net.http.HttpClient} and {@code curl
 * --http2}): ALPN picks {@code h2} when it is enabled, and the same handlers serve requests on
 * streams — bodies both ways beyond the flow-control windows, streamed responses, HEAD, the
 * server's own error answers, many streams at once on one connection.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class Http2EndToEndTest {

    @Parameter
    TlsEngine engine;

    @TempDir
    Path dir;

    private final LinkedBlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();

    private TlsTestServer start() throws IOException {
        TlsTestServer server = TlsTestServer.start(
                engine,
                b -> b.httpd(
                        h -> h.http2(Http2Config.DEFAULTS.withEnabled(true)).eventListener(events::add)));
        var http = server.https().httpServer();
        http.registerUriHandler(UriHandler.of(
                "/proto",
                HttpMethod.GET,
                (req, resp) -> resp.contentType("text/plain")
                        .header("x-path", req.path())
                        .send(req.protocol() + " " + req.method() + " " + req.uri() + " host="
                                + req.header("Host").orElse("-"))));
        http.registerUriHandler(UriHandler.of("/echo", HttpMethod.POST, (req, resp) -> {
            byte[] body = req.body().readAllBytes();
            resp.contentType("application/octet-stream").send(body);
        }));
        http.registerUriHandler(UriHandler.of("/chunks", HttpMethod.GET, (req, resp) -> {
            for (int i = 0; i < 5; i++) {
                resp.sendChunk("part" + i + ";");
            }
            resp.sendChunk(new byte[0]);
        }));
        http.registerUriHandler(UriHandler.of("/fail", HttpMethod.GET, (req, resp) -> {
            throw new IllegalStateException("boom (expected by the test)");
        }));
        return server;
    }

    private static HttpClient h2Client() throws Exception {
        return HttpClient.newBuilder()
                .sslContext(TlsFixtures.clientContext(null))
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(TlsFixtures.PATIENCE)
                .build();
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(TlsFixtures.PATIENCE);
    }

    @Test
    void httpClientAskingForHttp2IsServedOverH2ByTheSameHandlers() throws Exception {
        try (TlsTestServer server = start();
                HttpClient client = h2Client()) {
            HttpResponse<String> tls =
                    client.send(request(server.port(), "/tls").build(), BodyHandlers.ofString());
            HttpResponse<String> proto =
                    client.send(request(server.port(), "/proto?a=1").build(), BodyHandlers.ofString());

            assertThat(tls.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(tls.body()).contains("alpn=h2");
            assertThat(proto.statusCode()).isEqualTo(200);
            assertThat(proto.body()).isEqualTo("HTTP/2.0 GET /proto?a=1 host=localhost:" + server.port());
            assertThat(proto.headers().firstValue("x-path")).hasValue("/proto");
            assertThat(proto.headers().firstValue("content-type")).hasValue("text/plain");
        }
    }

    @Test
    void bodiesLargerThanTheWindowsTravelBothWays() throws Exception {
        byte[] body = new byte[300_000];
        new Random(23).nextBytes(body);
        try (TlsTestServer server = start();
                HttpClient client = h2Client()) {
            HttpResponse<byte[]> response = client.send(
                    request(server.port(), "/echo")
                            .POST(BodyPublishers.ofByteArray(body))
                            .build(),
                    BodyHandlers.ofByteArray());

            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Arrays.equals(response.body(), body)).isTrue();
        }
    }

    @Test
    void manyStreamsAtOnceOnOneConnectionAreEachAnswered() throws Exception {
        try (TlsTestServer server = start();
                HttpClient client = h2Client()) {
            client.send(request(server.port(), "/proto").build(), BodyHandlers.ofString());
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                byte[] payload = ("request " + i).getBytes(StandardCharsets.UTF_8);
                responses.add(client.sendAsync(
                        request(server.port(), "/echo")
                                .POST(BodyPublishers.ofByteArray(payload))
                                .build(),
                        BodyHandlers.ofString()));
            }
            for (int i = 0; i < responses.size(); i++) {
                HttpResponse<String> response = responses.get(i).get(30, TimeUnit.SECONDS);
                assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(response.body()).isEqualTo("request " + i);
            }
        }
    }

    @Test
    void streamedResponsesHeadAndServerErrorsAreProperResponses() throws Exception {
        try (TlsTestServer server = start();
                HttpClient client = h2Client()) {
            HttpResponse<String> chunks =
                    client.send(request(server.port(), "/chunks").build(), BodyHandlers.ofString());
            HttpResponse<String> head = client.send(
                    request(server.port(), "/proto")
                            .method("HEAD", BodyPublishers.noBody())
                            .build(),
                    BodyHandlers.ofString());
            HttpResponse<String> missing =
                    client.send(request(server.port(), "/nothing-here").build(), BodyHandlers.ofString());
            HttpResponse<String> wrongMethod =
                    client.send(request(server.port(), "/echo").GET().build(), BodyHandlers.ofString());
            HttpResponse<String> failed =
                    client.send(request(server.port(), "/fail").build(), BodyHandlers.ofString());
            HttpResponse<String> after =
                    client.send(request(server.port(), "/proto").build(), BodyHandlers.ofString());

            assertThat(chunks.body()).isEqualTo("part0;part1;part2;part3;part4;");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("content-length")).isPresent();
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    @Test
    void curlWithHttp2IsServedOverH2() throws Exception {
        Path ca = TlsFixtures.writeCa(dir);
        try (TlsTestServer server = start()) {
            ExternalProcess.Result result = ExternalProcess.run(
                    java.time.Duration.ofSeconds(30),
                    "curl",
                    "--silent",
                    "--show-error",
                    "--max-time",
                    "20",
                    "--http2",
                    "--cacert",
                    ca.toString(),
                    "--write-out",
                    " version=%{http_version} status=%{http_code}",
                    "--data-binary",
                    "hello over h2",
                    "https://localhost:" + server.port() + "/echo");

            assertThat(result.output()).endsWith("hello over h2 version=2 status=200");
            assertThat(Files.exists(ca)).isTrue();
        }
    }

    @Test
    void aWebSocketStillUpgradesOverHttp11WhileH2IsOffered() throws Exception {
        try (TlsTestServer server = start();
                HttpClient client = h2Client()) {
            server.https()
                    .httpServer()
                    .registerUriHandler(UriHandler.webSocket(
                            "/ws",
                            (request, response) -> {
                                WebSocket ws = WebSocket.of(request).orElseThrow();
                                if (request.method() != HttpMethod.GET) {
                                    WsFrame frame = ws.recvFrame(1 << 16);
                                    ws.sendFrame(WsFrame.text(request.protocol() + " echo "
                                            + new String(frame.payload(), StandardCharsets.UTF_8)));
                                }
                            },
                            null));
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            java.net.http.WebSocket socket = client.newWebSocketBuilder()
                    .buildAsync(
                            URI.create("wss://localhost:" + server.port() + "/ws"),
                            new java.net.http.WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(
                                        java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
                                    received.add(data.toString());
                                    webSocket.request(1);
                                    return null;
                                }
                            })
                    .get(20, TimeUnit.SECONDS);
            socket.sendText("hi", true).get(20, TimeUnit.SECONDS);

            assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo("HTTP/1.1 echo hi");
            socket.abort();
        }
    }

    @Test
    void connectionEventsComeOncePerConnectionAndRequestEventsPerRequest() throws Exception {
        try (TlsTestServer server = start()) {
            try (HttpClient client = h2Client()) {
                for (int i = 0; i < 3; i++) {
                    assertThat(client.send(request(server.port(), "/proto").build(), BodyHandlers.ofString())
                                    .version())
                            .isEqualTo(HttpClient.Version.HTTP_2);
                }
            }
            // ESP's order: every event of the session's requests before its DISCONNECTED, though a
            // stream's SENT_DATA is posted by the stream's own thread after its write
            List<ServerEvent> seen = new ArrayList<>();
            ServerEvent event;
            while ((event = events.poll(20, TimeUnit.SECONDS)) != null) {
                seen.add(event);
                if (event instanceof HttpServerEvent.Disconnected) {
                    break;
                }
            }
            events.drainTo(seen);
            List<ServerEvent> sessionEvents = seen.stream()
                    .filter(HttpServerEvent.class::isInstance)
                    .filter(e -> e.sessionId() >= 0)
                    .toList();
            assertThat(sessionEvents).last().isInstanceOf(HttpServerEvent.Disconnected.class);

            assertThat(seen)
                    .filteredOn(HttpServerEvent.OnConnected.class::isInstance)
                    .hasSize(1);
            assertThat(seen)
                    .filteredOn(HttpServerEvent.Disconnected.class::isInstance)
                    .hasSize(1);
            assertThat(seen)
                    .filteredOn(HttpServerEvent.OnHeader.class::isInstance)
                    .hasSize(3);
            assertThat(seen)
                    .filteredOn(HttpServerEvent.HeadersSent.class::isInstance)
                    .hasSize(3);
            assertThat(seen)
                    .filteredOn(HttpServerEvent.SentData.class::isInstance)
                    .hasSize(3);
            // each request's events carry its stream, in ESP's order within the request
            List<Integer> streams = seen.stream()
                    .filter(HttpServerEvent.OnHeader.class::isInstance)
                    .map(e -> ((HttpServerEvent.OnHeader) e).streamId())
                    .toList();
            assertThat(streams).doesNotHaveDuplicates().allMatch(id -> id > 0 && id % 2 == 1);
            for (int stream : streams) {
                assertThat(seen.stream()
                                .filter(e -> streamOf(e) == stream)
                                .map(ServerEvent::name)
                                .toList())
                        .containsExactly("ON_HEADER", "HEADERS_SENT", "SENT_DATA");
            }
        }
    }

    @Test
    void aConnectionsDisconnectedWaitsForAStreamHandlerStillRunningWhenTheClientLeaves() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TlsTestServer server = start()) {
            server.https().httpServer().registerUriHandler(UriHandler.of("/linger", HttpMethod.GET, (req, resp) -> {
                resp.send("answered");
                answered.countDown();
                // still running after its response, when the client has gone
                release.await(20, TimeUnit.SECONDS);
                events.add(new HandlerReturned(req.session().id()));
            }));
            try (HttpClient client = h2Client()) {
                assertThat(client.send(request(server.port(), "/linger").build(), BodyHandlers.ofString())
                                .body())
                        .isEqualTo("answered");
                assertThat(answered.await(20, TimeUnit.SECONDS)).isTrue();
            }
            release.countDown();

            List<ServerEvent> seen = new ArrayList<>();
            ServerEvent event;
            while ((event = events.poll(20, TimeUnit.SECONDS)) != null) {
                seen.add(event);
                if (event instanceof HttpServerEvent.Disconnected) {
                    break;
                }
            }
            assertThat(seen.stream().map(ServerEvent::name).toList())
                    .containsSubsequence("SENT_DATA", "HANDLER_RETURNED", "DISCONNECTED");
        }
    }

    /** What the lingering handler posts as it returns, to place its end among the server's events. */
    private record HandlerReturned(int sessionId) implements ServerEvent {
        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }

        @Override
        public String name() {
            return "HANDLER_RETURNED";
        }
    }

    private static int streamOf(ServerEvent event) {
        return switch (event) {
            case HttpServerEvent.OnHeader e -> e.streamId();
            case HttpServerEvent.HeadersSent e -> e.streamId();
            case HttpServerEvent.OnData e -> e.streamId();
            case HttpServerEvent.SentData e -> e.streamId();
            default -> -1;
        };
    }

    @Test
    void theHstsPolicyRidesOnHttp2ResponsesToo() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(
                        engine,
                        b -> b.httpd(h -> h.http2(Http2Config.DEFAULTS.withEnabled(true))
                                .strictTransportSecurity("max-age=600")));
                HttpClient client = h2Client()) {
            HttpResponse<String> found =
                    client.send(request(server.port(), "/tls").build(), BodyHandlers.ofString());
            HttpResponse<String> missing =
                    client.send(request(server.port(), "/nothing-here").build(), BodyHandlers.ofString());

            assertThat(found.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(found.headers().firstValue("strict-transport-security")).hasValue("max-age=600");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("strict-transport-security"))
                    .hasValue("max-age=600");
        }
    }

    @Test
    void aGracefulStopLetsARequestInFlightOnH2CompleteWhileNewConnectionsAreRefused() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TlsTestServer server = start();
                HttpClient client = h2Client()) {
            server.https().httpServer().registerUriHandler(UriHandler.of("/slow", HttpMethod.GET, (req, resp) -> {
                entered.countDown();
                release.await();
                resp.send("finished");
            }));
            CompletableFuture<HttpResponse<String>> response =
                    client.sendAsync(request(server.port(), "/slow").build(), BodyHandlers.ofString());
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Boolean> stopping =
                    CompletableFuture.supplyAsync(() -> server.https().stop(java.time.Duration.ofSeconds(30)));
            Await.until("the stopping server refuses new connections", () -> refuses(server.port()));
            release.countDown();

            HttpResponse<String> finished = response.get(30, TimeUnit.SECONDS);
            assertThat(finished.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo("finished");
            assertThat(stopping.get(30, TimeUnit.SECONDS))
                    .as("the connection closed by itself within the grace period")
                    .isTrue();
        }
    }

    private static boolean refuses(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void withHttp2OffTheSameClientGetsHttp11() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine);
                HttpClient client = h2Client()) {
            HttpResponse<String> response =
                    client.send(request(server.port(), "/tls").build(), BodyHandlers.ofString());

            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(response.body()).contains("alpn=http/1.1");
        }
    }
}
