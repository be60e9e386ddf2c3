package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keep-alive, pipelining, draining and timeouts on real connections. */
class ConnectionTest {

    private static final String GET_ID = "GET /id HTTP/1.1\r\nHost: x\r\n\r\n";

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private HttpServer startWithIdHandler(java.util.function.UnaryOperator<HttpServerConfig.Builder> config)
            throws Exception {
        HttpServer server = fixture.start(config);
        fixture.handle(
                "/id",
                HttpMethod.ANY,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        fixture.handle("/ignore", HttpMethod.POST, (req, resp) -> resp.send("ignored"));
        return server;
    }

    @Test
    void aKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        EventRecorder events = new EventRecorder();
        startWithIdHandler(b -> b.idleTimeout(ServerFixture.shortTimeout()).eventListener(events));
        RawClient client = fixture.connect();

        RawClient.Response first = client.exchange(GET_ID);
        RawClient.Response second = client.exchange(GET_ID);

        assertThat(first.header("Connection")).isNull();
        assertThat(second.bodyText()).isEqualTo(first.bodyText());
        assertThat(client.timeout(10_000).closedByServer()).isTrue();
        events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, Integer.parseInt(first.bodyText()));
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosedSilentlyAfterTheIdleTimeout() throws Exception {
        HttpServer server = startWithIdHandler(b -> b.idleTimeout(ServerFixture.shortTimeout()));
        RawClient client = fixture.connect();

        assertThat(client.timeout(10_000).readToEnd())
                .as("no 408 for a client that never started")
                .isEmpty();
        Await.until("the session is gone", () -> server.openSessions() == 0);
    }

    @org.junit.jupiter.api.RepeatedTest(20)
    void triggerCloseRightAfterAResponseClosesTheSession() throws Exception {
        HttpServer server = startWithIdHandler(b -> b.idleTimeout(Duration.ofSeconds(60)));
        RawClient client = fixture.connect();
        int id = Integer.parseInt(client.exchange(GET_ID).bodyText());

        // the session may still be finishing its request: the close must not wait for the idle timeout
        server.session(id).ifPresent(HttpSession::triggerClose);

        assertThat(client.timeout(10_000).closedByServer()).isTrue();
    }

    @Test
    void httpClientAndCurlReuseTheConnection() throws Exception {
        HttpServer server = startWithIdHandler(b -> b);
        String url = "http://127.0.0.1:" + server.port() + "/id";
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> ids = new ArrayList<>();

        for (int i = 0; i < 3; i++) {
            ids.add(client.send(
                            java.net.http.HttpRequest.newBuilder(URI.create(url))
                                    .build(),
                            BodyHandlers.ofString())
                    .body());
        }
        Curl.Result curl = Curl.run("-w", "\n", url, url);

        assertThat(ids).hasSize(3).containsOnly(ids.getFirst());
        assertThat(curl.exitCode()).as(curl.stderr()).isZero();
        String[] curlIds = curl.stdout().strip().split("\n");
        assertThat(curlIds).hasSize(2);
        assertThat(curlIds[0]).isEqualTo(curlIds[1]).isNotEqualTo(ids.getFirst());
    }

    @Test
    void connectionCloseFromTheClientIsHonoured() throws Exception {
        startWithIdHandler(b -> b);
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("GET /id HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void http10IsNotPersistentUnlessItAsks() throws Exception {
        startWithIdHandler(b -> b);
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("GET /id HTTP/1.0\r\n\r\n");

        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        fixture.start(b -> b.uriMatcher(UriMatcher.wildcard()));
        fixture.handle(
                "/echo",
                HttpMethod.POST,
                (req, resp) -> resp.send(new String(req.body().readAllBytes(), StandardCharsets.US_ASCII)));
        fixture.handle("/*", HttpMethod.GET, (req, resp) -> resp.send(req.path()));
        RawClient client = fixture.connect();

        client.send("""
                GET /one HTTP/1.1\r
                Host: x\r
                \r
                POST /echo HTTP/1.1\r
                Host: x\r
                Content-Length: 3\r
                \r
                twoGET /three HTTP/1.1\r
                Host: x\r
                \r
                """);

        assertThat(client.read().bodyText()).isEqualTo("/one");
        assertThat(client.read().bodyText()).isEqualTo("two");
        assertThat(client.read().bodyText()).isEqualTo("/three");
    }

    @Test
    void anUnreadBodyIsDrainedAndTheConnectionReused() throws Exception {
        startWithIdHandler(b -> b.maxDrainLength(100_000));
        RawClient client = fixture.connect();
        String body = "b".repeat(100_000);

        RawClient.Response ignored =
                client.exchange("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + body);
        RawClient.Response next = client.exchange(GET_ID);
        RawClient.Response chunked = client.exchange(
                "POST /ignore HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");

        assertThat(ignored.bodyText()).isEqualTo("ignored");
        assertThat(next.status()).isEqualTo(200);
        assertThat(chunked.bodyText()).isEqualTo("ignored");
        assertThat(client.exchange(GET_ID).bodyText()).isEqualTo(next.bodyText());
    }

    @Test
    void anUnreadBodyOverMaxDrainLengthClosesTheConnection() throws Exception {
        startWithIdHandler(b -> b.maxDrainLength(1000));
        RawClient client = fixture.connect();

        client.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + "b".repeat(5000));

        assertThat(client.read().bodyText()).isEqualTo("ignored");
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void slowHeadersAreAnswered408AfterTheHeaderReadTimeout() throws Exception {
        startWithIdHandler(b -> b.headerReadTimeout(ServerFixture.shortTimeout()));
        RawClient client = fixture.connect();
        AtomicBoolean answered = new AtomicBoolean();
        client.send("GET /id HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        Thread trickle = Thread.ofVirtual().start(() -> {
            // a slowloris: one byte every 50 ms, each well within the receive timeout
            for (int i = 0; i < 200 && !answered.get(); i++) {
                try {
                    client.send("a");
                } catch (IOException e) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        });

        RawClient.Response response = client.read();
        answered.set(true);

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
        trickle.join(10_000);
    }

    @Test
    void aClientStalledInTheMiddleOfARequestDoesNotDelayAnother() throws Exception {
        EventRecorder events = new EventRecorder();
        HttpServer server = startWithIdHandler(b -> b.eventListener(events));
        RawClient stalled = fixture.connect();
        stalled.send("POST /id HTTP/1.1\r\nHost: x\r\nContent-Le");
        int stalledId = events.sessionFromPort(stalled.localPort());

        RawClient other = fixture.connect();
        other.timeout(10_000);

        assertThat(other.exchange(GET_ID).status()).isEqualTo(200);
        assertThat(events.has(HttpServerEvent.Id.ON_HEADER, stalledId)).isFalse();
        assertThat(server.clientList()).contains(stalledId);
        stalled.send("ngth: 0\r\n\r\n");
        assertThat(stalled.read().bodyText()).isEqualTo(String.valueOf(stalledId));
    }

    @Test
    void aSendThatMakesNoProgressClosesTheSession() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        HttpServer server = fixture.start(b -> b.sendWaitTimeout(ServerFixture.shortTimeout()));
        fixture.handle("/huge", HttpMethod.GET, (req, resp) -> {
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = resp.outputStream()) {
                for (int i = 0; i < 4096; i++) { // 256 MiB at most: far beyond any socket buffer
                    out.write(block);
                }
            } catch (IOException e) {
                failures.add(e);
                throw e;
            }
        });
        RawClient client = fixture.connect();
        client.socket().setReceiveBufferSize(4096);

        client.send("GET /huge HTTP/1.1\r\nHost: x\r\n\r\n");

        Await.until("the stuck send fails", () -> !failures.isEmpty());
        Await.until("the stuck session is closed", () -> server.openSessions() == 0);
        assertThat(failures).singleElement().isInstanceOf(java.net.SocketTimeoutException.class);
    }

    @Test
    void aRequestWithAnAbsoluteFormTargetIsRoutedByItsPath() throws Exception {
        startWithIdHandler(b -> b);
        fixture.handle("/abs", HttpMethod.GET, (req, resp) -> resp.send(req.path() + " " + req.rawQuery()));
        RawClient client = fixture.connect();

        RawClient.Response response =
                client.exchange("GET http://example.com/abs?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");

        assertThat(response.bodyText()).isEqualTo("/abs q=1");
    }

    @Test
    void emptyLinesBeforeARequestAreIgnored() throws Exception {
        startWithIdHandler(b -> b);
        RawClient client = fixture.connect();

        assertThat(client.exchange("\r\n\r\n" + GET_ID).status()).isEqualTo(200);
    }
}
