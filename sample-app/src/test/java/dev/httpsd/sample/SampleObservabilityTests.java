package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.httpsd.test.LocalHttpsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * What a Spring Boot team monitoring the sample sees: after traffic to {@code /hello} and to a
 * path no handler serves, Prometheus scrapes {@code http_server_requests_seconds_count} per URI
 * template, status and outcome; and a request that arrives with a W3C {@code traceparent} is
 * handled in that trace, down to the log line the {@code /async} handler writes on its worker
 * thread.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleObservabilityTests {

    private static final String TRACE_ID = "5c1e2b7f8e9d4a3b2c1d0e9f8a7b6c5d";
    private static final List<String> HELLO_OK =
            List.of("method=\"GET\"", "uri=\"/hello\"", "status=\"200\"", "outcome=\"SUCCESS\"", "exception=\"none\"");
    private static final List<String> UNMATCHED_404 =
            List.of("uri=\"UNKNOWN\"", "status=\"404\"", "outcome=\"CLIENT_ERROR\"");
    private static final List<String> ASYNC_OK = List.of("uri=\"/async\"", "status=\"200\"");

    @Autowired
    LocalHttpsServer server;

    @LocalManagementPort
    int managementPort;

    @Test
    void prometheusHasHttpServerRequestsPerUriTemplateStatusAndOutcome() throws Exception {
        // the context may be shared with other test classes: count from what is there now
        String before = scrape();
        double hello = count(before, HELLO_OK);
        double nope = count(before, UNMATCHED_404);
        assertThat(server.get("/hello").statusCode()).isEqualTo(200);
        assertThat(server.get("/nope").statusCode()).isEqualTo(404);

        await().atMost(LocalHttpsServer.TIMEOUT).untilAsserted(() -> {
            String after = scrape();
            assertThat(count(after, HELLO_OK)).isEqualTo(hello + 1);
            assertThat(count(after, UNMATCHED_404)).isEqualTo(nope + 1);
        });
    }

    @Test
    void aRequestWithATraceparentIsHandledInThatTraceOnTheAsyncWorkerToo() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AsyncHandler.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            double asyncBefore = count(scrape(), ASYNC_OK);
            String body = server.httpClient()
                    .send(
                            server.request("/async")
                                    .header("traceparent", "00-" + TRACE_ID + "-1a2b3c4d5e6f7081-01")
                                    .build(),
                            BodyHandlers.ofString())
                    .body();
            assertThat(body).startsWith("Hello from async-worker-");
            await().atMost(LocalHttpsServer.TIMEOUT).until(() -> !copy(lines).isEmpty());
            ILoggingEvent line = copy(lines).getFirst();
            assertThat(line.getFormattedMessage()).startsWith("finishing /async");
            assertThat(line.getThreadName()).startsWith("async-worker-");
            assertThat(line.getMDCPropertyMap()).containsEntry("traceId", TRACE_ID);
            await().atMost(LocalHttpsServer.TIMEOUT)
                    .untilAsserted(() -> assertThat(count(scrape(), ASYNC_OK))
                            .as("one request, one observation: the worker's scope does not start another")
                            .isEqualTo(asyncBefore + 1));
            assertThat(count(scrape(), List.of("uri=\"/async\"", "status=\"UNKNOWN\"")))
                    .isZero();
        } finally {
            logger.detachAppender(lines);
        }
    }

    private static List<ILoggingEvent> copy(ListAppender<ILoggingEvent> appender) {
        synchronized (appender.list) {
            return List.copyOf(appender.list);
        }
    }

    /** The sum of the {@code http_server_requests_seconds_count} lines that have every tag. */
    private static double count(String scrape, List<String> tags) {
        return scrape.lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                .filter(line -> tags.stream().allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private String scrape() throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(LocalHttpsServer.TIMEOUT).build()) {
            return client.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                                    .timeout(LocalHttpsServer.TIMEOUT)
                                    .build(),
                            BodyHandlers.ofString())
                    .body();
        }
    }
}
