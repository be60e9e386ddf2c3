package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Async handlers ({@code httpd_req_async_handler_begin/complete}, reference §3.8). */
class AsyncHandlerTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final List<String> threads = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    @Test
    void anAsyncRequestIsFinishedOnAnotherThreadAndTheConnectionServesTheNextRequest() throws Exception {
        fixture.start();
        fixture.handle("/async", HttpMethod.POST, (req, resp) -> {
            threads.add(Thread.currentThread().toString());
            AsyncRequest async = req.beginAsync();
            workers.execute(() -> {
                try {
                    threads.add(Thread.currentThread().toString());
                    String body = new String(async.request().body().readAllBytes(), StandardCharsets.UTF_8);
                    async.response().contentType("text/plain").send("async " + body);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    async.complete();
                }
            });
        });
        fixture.handle("/sync", HttpMethod.GET, (req, resp) -> resp.send("sync"));
        RawClient client = fixture.connect();

        RawClient.Response first = client.exchange("POST /async HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        RawClient.Response second = client.exchange("GET /sync HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(first.bodyText()).isEqualTo("async hello");
        assertThat(first.header("Connection")).isNull();
        assertThat(second.bodyText()).isEqualTo("sync");
        assertThat(threads).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void theSessionReadsNoFurtherRequestUntilComplete() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger secondCalls = new AtomicInteger();
        fixture.start();
        fixture.handle("/first", HttpMethod.GET, (req, resp) -> {
            AsyncRequest async = req.beginAsync();
            workers.execute(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                    async.response().send("first");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    async.complete();
                }
            });
        });
        fixture.handle("/second", HttpMethod.GET, (req, resp) -> {
            secondCalls.incrementAndGet();
            resp.send("second");
        });
        RawClient client = fixture.connect();
        client.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThatThrownBy(() -> client.timeout(500).read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(secondCalls).hasValue(0);
        release.countDown();

        assertThat(client.timeout(30_000).read().bodyText()).isEqualTo("first");
        assertThat(client.read().bodyText()).isEqualTo("second");
    }

    @Test
    void completeWithoutAResponseSendsAnEmpty200AndIsIdempotent() throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            AsyncRequest async = req.beginAsync();
            workers.execute(() -> {
                async.complete();
                async.complete();
            });
        });
        RawClient client = fixture.connect();

        RawClient.Response first = client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        RawClient.Response second = client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Content-Length")).isEqualTo("0");
        assertThat(second.status()).isEqualTo(200);
    }

    @Test
    void aChunkedAsyncResponseIsTerminatedByComplete() throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            AsyncRequest async = req.beginAsync();
            workers.execute(() -> {
                try {
                    for (int i = 0; i < 3; i++) {
                        async.response().sendChunk("part" + i + ";");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    async.complete();
                }
            });
        });
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.bodyText()).isEqualTo("part0;part1;part2;");
        assertThat(client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status())
                .isEqualTo(200);
    }

    @Test
    void completeWithoutBeginAsyncIsRefused() throws Exception {
        List<Throwable> refused = new CopyOnWriteArrayList<>();
        fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            try {
                ((AsyncRequest) req).complete();
            } catch (IllegalStateException e) {
                refused.add(e);
            }
            resp.send("sync");
        });

        assertThat(fixture.connect()
                        .exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodyText())
                .isEqualTo("sync");
        assertThat(refused).hasSize(1);
    }

    @Test
    void concurrentAsyncRequestsOnSeparateConnectionsAreAllServed() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/work", HttpMethod.GET, (req, resp) -> {
            AsyncRequest async = req.beginAsync();
            workers.execute(() -> {
                try {
                    async.response()
                            .send("done " + async.request().queryValue("n").orElseThrow());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    async.complete();
                }
            });
        });
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<java.net.http.HttpResponse<String>>> responses = new ArrayList<>();

        for (int i = 0; i < 8; i++) {
            responses.add(client.sendAsync(
                    java.net.http.HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + server.port() + "/work?n=" + i))
                            .build(),
                    BodyHandlers.ofString()));
        }

        for (int i = 0; i < 8; i++) {
            assertThat(responses.get(i).get(10, TimeUnit.SECONDS).body()).isEqualTo("done " + i);
        }
    }
}
