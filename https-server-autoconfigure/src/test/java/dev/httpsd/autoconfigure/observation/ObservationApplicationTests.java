package dev.httpsd.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.httpsd.autoconfigure.GetUri;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.LogEvents;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.autoconfigure.handler.UriVariable;
import dev.httpsd.server.AsyncRequest;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.test.RawHttpConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application with Actuator, Micrometer Tracing and its OpenTelemetry bridge, started
 * by {@code SpringApplication}: every request is an {@code http.server.requests} observation
 * tagged as Spring's servers tag theirs, an incoming W3C {@code traceparent} is continued by the
 * server span, a request without one starts a new trace, and what a handler logs carries the
 * request's {@code traceId} and {@code spanId} in the MDC, on the session's thread and on the
 * thread that finishes an async request; so does the access log line of the request.
 */
class ObservationApplicationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String HANDLER_LOGGER = "dev.httpsd.test.handlers";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
    /** Another trace, so that the tests' spans never mix. */
    private static final String ASYNC_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    private static ConfigurableApplicationContext context;
    private static int port;
    private static SSLContext tls;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Object> properties = new HashMap<>();
        properties.put("https-server.port-secure", "0");
        properties.put("https-server.ssl.certificate", Certificates.toPem(TestHttps.SERVER.chain()));
        properties.put("https-server.ssl.private-key", Certificates.toPem(TestHttps.SERVER.privateKey()));
        properties.put("management.tracing.sampling.probability", "1.0");
        properties.put("management.opentelemetry.tracing.export.schedule-delay", "50ms");
        properties.put("spring.main.banner-mode", "off");
        properties.put("https-server.access-log.enabled", "true");
        context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run();
        port = context.getBean(HttpsServerLifecycle.class).server().port();
        tls = TestHttps.clientContext(null);
        // HTTP/1.1: the handler's log lines are asserted on the session's own thread
        client = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TestHttps.TIMEOUT)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        context.close();
    }

    @Test
    void everyRequestIsAnHttpServerRequestsObservationTaggedAsSpringServersTagTheirs() throws Exception {
        assertThat(get("/hello", Map.of()).statusCode()).isEqualTo(200);
        assertThat(get("/hello", Map.of()).statusCode()).isEqualTo(200);
        assertThat(get("/nope", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/items/7", Map.of()).body()).isEqualTo("item 7");
        assertThat(get("/items/8", Map.of()).body()).isEqualTo("item 8");
        assertThat(get("/fail", Map.of()).statusCode()).isEqualTo(500);
        assertThat(client.send(
                                java.net.http.HttpRequest.newBuilder(uri("/hello"))
                                        .DELETE()
                                        .build(),
                                BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(405);
        try (RawHttpConnection raw = new RawHttpConnection(TestHttps.connect(tls, port))) {
            assertThat(raw.exchange("NOT A REQUEST\r\n\r\n").status()).isEqualTo(400);
        }

        MeterRegistry registry = context.getBean(MeterRegistry.class);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(timer(registry, "GET", "/hello", "200", "SUCCESS", "none"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(timer(registry, "GET", "UNKNOWN", "404", "CLIENT_ERROR", "none"))
                    .isEqualTo(1);
            assertThat(timer(registry, "GET", "/items/{id}", "200", "SUCCESS", "none"))
                    .as("the handler model's route template, one timer for every item")
                    .isEqualTo(2);
            assertThat(timer(registry, "GET", "/fail", "500", "SERVER_ERROR", "IllegalStateException"))
                    .isEqualTo(1);
            assertThat(timer(registry, "DELETE", "UNKNOWN", "405", "CLIENT_ERROR", "none"))
                    .isEqualTo(1);
            assertThat(timer(registry, "UNKNOWN", "UNKNOWN", "400", "CLIENT_ERROR", "none"))
                    .isEqualTo(1);
        });
        assertThat(registry.find("httpsd.requests").meters()).isEmpty();
    }

    @Test
    void anIncomingTraceparentIsContinuedByTheServerSpanAndInTheHandlersLogLines() throws Exception {
        InMemorySpanExporter spans = context.getBean(InMemorySpanExporter.class);
        try (LogEvents log = new LogEvents(HANDLER_LOGGER);
                LogEvents access = new LogEvents("dev.httpsd.access")) {
            HttpResponse<String> response =
                    get("/traced", Map.of("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01"));
            assertThat(response.body()).isEqualTo("traced");

            SpanData span = await().atMost(PATIENCE).until(() -> serverSpan(spans, TRACE_ID), s -> s != null);
            assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
            assertThat(span.getName()).isEqualTo("http get /traced");
            assertThat(span.getAttributes().asMap().toString())
                    .contains("uri=/traced")
                    .contains("http.url=/traced");

            ILoggingEvent line = log.containing("handling /traced").getFirst();
            assertThat(line.getThreadName()).startsWith("httpd-session-");
            assertThat(line.getMDCPropertyMap())
                    .containsEntry("traceId", TRACE_ID)
                    .containsEntry("spanId", span.getSpanId());
            ILoggingEvent accessLine = await().atMost(PATIENCE)
                    .until(() -> access.containing("\"GET /traced HTTP/1.1\" 200"), lines -> !lines.isEmpty())
                    .getFirst();
            assertThat(accessLine.getMDCPropertyMap())
                    .as("the access log line is written inside the request's scope")
                    .containsEntry("traceId", TRACE_ID);
        }
    }

    @Test
    void aRequestWithoutTraceContextStartsANewTrace() throws Exception {
        InMemorySpanExporter spans = context.getBean(InMemorySpanExporter.class);
        try (LogEvents log = new LogEvents(HANDLER_LOGGER)) {
            get("/traced", Map.of());
            ILoggingEvent line = await().atMost(PATIENCE)
                    .until(() -> log.containing("handling /traced"), lines -> !lines.isEmpty())
                    .getFirst();
            String traceId = line.getMDCPropertyMap().get("traceId");
            assertThat(traceId).hasSize(32).isNotEqualTo(TRACE_ID);
            SpanData span = await().atMost(PATIENCE).until(() -> serverSpan(spans, traceId), s -> s != null);
            assertThat(span.getParentSpanContext().isValid()).isFalse();
        }
    }

    @Test
    void anAsyncHandlerFinishedOnAnotherThreadLogsWithTheRequestsTraceWhenItWrapsItsWork() throws Exception {
        try (LogEvents log = new LogEvents(HANDLER_LOGGER)) {
            HttpResponse<String> response =
                    get("/async", Map.of("traceparent", "00-" + ASYNC_TRACE_ID + "-" + PARENT_SPAN_ID + "-01"));
            assertThat(response.body()).isEqualTo("later");
            ILoggingEvent line = await().atMost(PATIENCE)
                    .until(() -> log.containing("finishing /async"), lines -> !lines.isEmpty())
                    .getFirst();
            assertThat(line.getThreadName()).startsWith("async-worker");
            assertThat(line.getMDCPropertyMap()).containsEntry("traceId", ASYNC_TRACE_ID);
        }
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(timer(registry, "GET", "/async", "200", "SUCCESS", "none"))
                        .isEqualTo(1));
        assertThat(registry.find("http.server.requests")
                        .tag("status", "UNKNOWN")
                        .timers())
                .as("the worker's scope neither starts nor stops the request's observation")
                .isEmpty();
        assertThat(registry.find("http.server.requests.active")
                        .tag("uri", "UNKNOWN")
                        .longTaskTimers())
                .allSatisfy(active -> assertThat(active.activeTasks()).isZero());
    }

    private static SpanData serverSpan(InMemorySpanExporter spans, String traceId) {
        return spans.getFinishedSpanItems().stream()
                .filter(span ->
                        span.getKind() == SpanKind.SERVER && span.getTraceId().equals(traceId))
                .findFirst()
                .orElse(null);
    }

    private static long timer(
            MeterRegistry registry, String method, String uri, String status, String outcome, String exception) {
        Timer timer = registry.find("http.server.requests")
                .tags("method", method, "uri", uri, "status", status, "outcome", outcome, "exception", exception)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private static URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        java.net.http.HttpRequest.Builder request =
                java.net.http.HttpRequest.newBuilder(uri(path)).timeout(PATIENCE);
        headers.forEach(request::header);
        return client.send(request.build(), BodyHandlers.ofString());
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

        @Bean
        static InMemorySpanExporter spanExporter() {
            return InMemorySpanExporter.create();
        }

        @Bean(destroyMethod = "shutdownNow")
        static ExecutorService asyncWorkers() {
            return Executors.newSingleThreadExecutor(task -> new Thread(task, "async-worker"));
        }

        @Bean
        static Handlers handlers(ExecutorService asyncWorkers) {
            return new Handlers(asyncWorkers);
        }
    }

    static class Handlers {
        private static final Log LOG = LogFactory.getLog(HANDLER_LOGGER);
        private final ExecutorService workers;

        Handlers(ExecutorService workers) {
            this.workers = workers;
        }

        @UriMapping(uri = "/hello")
        String hello() {
            return "hi";
        }

        @UriMapping(uri = "/traced")
        String traced() {
            LOG.info("handling /traced");
            return "traced";
        }

        @GetUri("/items/{id}")
        String item(@UriVariable String id) {
            return "item " + id;
        }

        @UriMapping(uri = "/fail")
        String fail() {
            throw new IllegalStateException("a handler bug");
        }

        @UriMapping(uri = "/async", method = HttpMethod.GET)
        void async(HttpRequest request) {
            AsyncRequest async = request.beginAsync();
            workers.execute(HttpsServerObservations.wrap(request, () -> {
                LOG.info("finishing /async");
                try {
                    async.response().send("later");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            }));
        }
    }
}
