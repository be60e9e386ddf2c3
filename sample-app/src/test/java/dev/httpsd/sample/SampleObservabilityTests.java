package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a Spring Boot team monitoring the sample sees: after traffic to {@code /hello} and to a
 * path no handler serves, Prometheus scrapes {@code http_server_requests_seconds_count} per URI
 * template, status and outcome; and a request that arrives with a W3C {@code traceparent} is
 * handled in that trace, down to the log line the {@code /async} handler writes on its worker
 * thread.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.NONE)
class SampleObservabilityTests {

    private static final String TRACE_ID = "5c1e2b7f8e9d4a3b2c1d0e9f8a7b6c5d";

    @TempDir
    static Path devCertificates;

    @Value("${local.https-server.port}")
    int port;

    @Value("${local.management.port}")
    int managementPort;

    @DynamicPropertySource
    static void developmentCertificateDirectory(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.dev-certificate.directory", () -> devCertificates.toString());
    }

    @Test
    void prometheusHasHttpServerRequestsPerUriTemplateStatusAndOutcome() throws Exception {
        SampleHttps https = SampleHttps.trustingDevelopmentCertificate(port, devCertificates);
        assertThat(https.get("/hello").statusCode()).isEqualTo(200);
        assertThat(https.get("/nope").statusCode()).isEqualTo(404);

        await().atMost(SampleHttps.TIMEOUT).untilAsserted(() -> {
            List<String> counts = scrape().lines()
                    .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                    .toList();
            assertThat(counts)
                    .anySatisfy(line -> assertThat(line)
                            .contains("uri=\"/hello\"")
                            .contains("status=\"200\"")
                            .contains("outcome=\"SUCCESS\"")
                            .contains("method=\"GET\"")
                            .contains("exception=\"none\"")
                            .endsWith(" 1"))
                    .anySatisfy(line -> assertThat(line)
                            .contains("uri=\"UNKNOWN\"")
                            .contains("status=\"404\"")
                            .contains("outcome=\"CLIENT_ERROR\"")
                            .endsWith(" 1"));
        });
    }

    @Test
    void aRequestWithATraceparentIsHandledInThatTraceOnTheAsyncWorkerToo() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AsyncHandler.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            SampleHttps https = SampleHttps.trustingDevelopmentCertificate(port, devCertificates);
            try (HttpClient client = https.client()) {
                String body = client.send(
                                https.request("/async")
                                        .header("traceparent", "00-" + TRACE_ID + "-1a2b3c4d5e6f7081-01")
                                        .build(),
                                BodyHandlers.ofString())
                        .body();
                assertThat(body).startsWith("Hello from async-worker-");
            }
            await().atMost(SampleHttps.TIMEOUT).until(() -> !copy(lines).isEmpty());
            ILoggingEvent line = copy(lines).getFirst();
            assertThat(line.getFormattedMessage()).startsWith("finishing /async");
            assertThat(line.getThreadName()).startsWith("async-worker-");
            assertThat(line.getMDCPropertyMap()).containsEntry("traceId", TRACE_ID);
            await().atMost(SampleHttps.TIMEOUT)
                    .untilAsserted(() -> assertThat(scrape().lines())
                            .as("one request, one observation: the worker's scope does not start another")
                            .filteredOn(count -> count.startsWith("http_server_requests_seconds_count{")
                                    && count.contains("uri=\"/async\""))
                            .singleElement()
                            .satisfies(count -> assertThat(count).endsWith(" 1")));
        } finally {
            logger.detachAppender(lines);
        }
    }

    private static List<ILoggingEvent> copy(ListAppender<ILoggingEvent> appender) {
        synchronized (appender.list) {
            return List.copyOf(appender.list);
        }
    }

    private String scrape() throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(SampleHttps.TIMEOUT).build()) {
            return client.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                                    .timeout(SampleHttps.TIMEOUT)
                                    .build(),
                            BodyHandlers.ofString())
                    .body();
        }
    }
}
