package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.tls.Certificates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code httpsd.http2.*} meters (README's meter table) after HTTP/2 traffic from {@code
 * java.net.http.HttpClient}: streams opened and running, the RST_STREAM the server sends for a
 * request body the handler left unread and the GOAWAY of the idle timeout, each counted under its
 * error code; and the RST_STREAM(CANCEL) the client sends when a request is cancelled, counted as
 * received, with the handler's send failing cleanly (a flood of client resets is counted in the
 * core's {@code Http2ConnectionTest}).
 */
class Http2MeterTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    static final CountDownLatch HELD = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final CountDownLatch STREAMING = new CountDownLatch(1);
    static final CompletableFuture<Throwable> STREAMING_ENDED = new CompletableFuture<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class,
                    HttpsServerActuatorAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withUserConfiguration(Handlers.class)
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.http2.enabled=true",
                    "https-server.idle-timeout=2s",
                    "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                    "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()));

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        @UriMapping(uri = "/hello")
        String hello() {
            return "hi";
        }

        @UriMapping(uri = "/ignore", method = HttpMethod.POST)
        String ignore() {
            return "ignored";
        }

        /** Streams chunks until a send fails (the client's cancel), bounded in count. */
        @UriMapping(uri = "/endless")
        void endless(dev.httpsd.server.HttpResponse response) {
            byte[] chunk = new byte[16 * 1024];
            try {
                for (int i = 0; i < 100_000; i++) {
                    response.sendChunk(chunk, 0, chunk.length);
                    STREAMING.countDown();
                }
                STREAMING_ENDED.complete(null);
            } catch (IOException | RuntimeException e) {
                STREAMING_ENDED.complete(e);
            }
        }

        @UriMapping(uri = "/held")
        String held() throws InterruptedException {
            HELD.countDown();
            RELEASE.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            return "released";
        }
    }

    @Test
    void streamsResetsAndGoAwaysAreCountedByErrorCode() throws Exception {
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            int port = context.getBean(HttpsServerLifecycle.class).server().port();
            try (HttpClient client = HttpClient.newBuilder()
                    .sslContext(TestHttps.clientContext(null))
                    .version(HttpClient.Version.HTTP_2)
                    .connectTimeout(DEADLINE)
                    .build()) {
                HttpResponse<String> hello = client.send(request(port, "/hello").build(), BodyHandlers.ofString());
                assertThat(hello.version()).isEqualTo(HttpClient.Version.HTTP_2);

                // a body beyond the stream's window that the handler never reads: the server resets
                // the stream (NO_ERROR) once its response is out
                HttpResponse<String> ignored = client.send(
                        request(port, "/ignore")
                                .POST(BodyPublishers.ofByteArray(new byte[1 << 20]))
                                .build(),
                        BodyHandlers.ofString());
                assertThat(ignored.body()).isEqualTo("ignored");
                awaitCount(registry, "httpsd.http2.resets.sent", "NO_ERROR", 1);

                CompletableFuture<HttpResponse<String>> held =
                        client.sendAsync(request(port, "/held").build(), BodyHandlers.ofString());
                assertThat(HELD.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(registry.get("httpsd.http2.streams.current").gauge().value())
                        .isEqualTo(1.0);
                RELEASE.countDown();
                assertThat(held.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).body())
                        .isEqualTo("released");

                await().atMost(DEADLINE)
                        .untilAsserted(() -> assertThat(registry.get("httpsd.http2.streams.current")
                                        .gauge()
                                        .value())
                                .isZero());
                assertThat(registry.get("httpsd.http2.streams.opened")
                                .functionCounter()
                                .count())
                        .isEqualTo(3.0);
                // the idle timeout ends the connection with GOAWAY NO_ERROR
                awaitCount(registry, "httpsd.http2.goaways.sent", "NO_ERROR", 1);
            }
            assertThat(registry.find("httpsd.http2.goaways.sent")
                            .tag("code", "ENHANCE_YOUR_CALM")
                            .functionCounter())
                    .as("a code never counted has no meter")
                    .isNull();
            for (Meter meter : registry.find("httpsd.http2.resets.sent").meters()) {
                assertThat(meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet()))
                        .isEqualTo(Set.of("port", "transport", "code"));
            }
            assertThat(registry.get("httpsd.http2.streams.current").meter()).isInstanceOf(Gauge.class);
            assertThat(registry.get("httpsd.http2.streams.opened").meter())
                    .isNotInstanceOf(Counter.class)
                    .isInstanceOf(FunctionCounter.class);
        });
    }

    @Test
    void aClientsCancelIsCountedAndEndsTheHandlersSendsWithAClearError() throws Exception {
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            int port = context.getBean(HttpsServerLifecycle.class).server().port();
            try (HttpClient client = HttpClient.newBuilder()
                    .sslContext(TestHttps.clientContext(null))
                    .version(HttpClient.Version.HTTP_2)
                    .connectTimeout(DEADLINE)
                    .build()) {
                CompletableFuture<HttpResponse<String>> endless =
                        client.sendAsync(request(port, "/endless").build(), BodyHandlers.ofString());
                assertThat(STREAMING.await(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                        .as("the response is streaming")
                        .isTrue();
                // java.net.http cancels the exchange: RST_STREAM(CANCEL) on its stream
                endless.cancel(true);

                Throwable ended = STREAMING_ENDED.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(ended)
                        .as("the handler's send fails, saying why")
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("reset by the client (RST_STREAM CANCEL)");
                awaitCount(registry, "httpsd.http2.resets.received", "CANCEL", 1);
                await().atMost(DEADLINE)
                        .untilAsserted(() -> assertThat(registry.get("httpsd.http2.streams.current")
                                        .gauge()
                                        .value())
                                .as("no stream left behind")
                                .isZero());

                // the connection lives on: the next request is served
                HttpResponse<String> hello = client.send(request(port, "/hello").build(), BodyHandlers.ofString());
                assertThat(hello.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(hello.body()).isEqualTo("hi");
            }
            await().atMost(DEADLINE)
                    .untilAsserted(() -> assertThat(registry.get("httpsd.connections.current")
                                    .gauge()
                                    .value())
                            .as("no session left behind")
                            .isZero());
        });
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(DEADLINE);
    }

    private static void awaitCount(MeterRegistry registry, String name, String code, double expected) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            FunctionCounter counter = registry.find(name).tag("code", code).functionCounter();
            assertThat(counter).as(name + " " + code).isNotNull();
            assertThat(counter.count()).as(name + " " + code).isEqualTo(expected);
        });
    }
}
