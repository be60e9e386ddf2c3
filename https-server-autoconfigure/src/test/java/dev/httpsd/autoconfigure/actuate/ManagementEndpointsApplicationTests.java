package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.test.RawHttpConnection;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A whole application (every auto-configuration, httpsd as its only web server) with Boot's
 * default health settings, read and written over HTTP on the management listener: Actuator's
 * web endpoints behave as they do on Boot's own servers.
 */
@SpringBootTest(
        classes = ManagementEndpointsApplicationTests.Application.class,
        webEnvironment = WebEnvironment.NONE,
        properties = {
            "https-server.port-secure=0",
            "management.server.port=0",
            "management.endpoints.web.exposure.include=health,info,metrics,loggers,prometheus,notes,files"
        })
class ManagementEndpointsApplicationTests {

    private static final String V3 = "application/vnd.spring-boot.actuator.v3+json";

    @Autowired
    ApplicationContext context;

    @Autowired
    Switch health;

    @Autowired
    LoggingSystem loggingSystem;

    ManagementClient client;

    @DynamicPropertySource
    static void tlsMaterial(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.certificate", () -> Certificates.toPem(TestHttps.SERVER.chain()));
        registry.add("https-server.ssl.private-key", () -> Certificates.toPem(TestHttps.SERVER.privateKey()));
    }

    @BeforeEach
    void client() {
        client = ManagementClient.of(context);
    }

    @AfterEach
    void healthy() {
        health.status = Health.up().build();
    }

    @Test
    void theLinksPageListsEveryExposedOperationWithAbsoluteUrls() throws Exception {
        HttpResponse<String> links = client.get("/actuator");
        assertThat(links.statusCode()).isEqualTo(200);
        assertThat(links.headers().firstValue("Content-Type")).hasValue(V3);
        DocumentContext json = JsonPath.parse(links.body());
        String base = "http://127.0.0.1:" + client.port() + "/actuator";
        assertThat(json.read("$._links.self.href", String.class)).isEqualTo(base);
        assertThat(json.read("$._links.health.href", String.class)).isEqualTo(base + "/health");
        assertThat(json.read("$._links['health-path'].href", String.class)).isEqualTo(base + "/health/{*path}");
        assertThat(json.read("$._links['health-path'].templated", Boolean.class))
                .isTrue();
        assertThat(json.read("$._links['loggers-name'].href", String.class)).isEqualTo(base + "/loggers/{name}");
        assertThat(json.read("$._links.prometheus.href", String.class)).isEqualTo(base + "/prometheus");
        assertThat(json.read("$._links", Map.class))
                .as("endpoints that are not exposed have no link")
                .doesNotContainKeys("env", "beans", "threaddump");
    }

    @Test
    void healthShowsNoComponentsOrDetailsByDefault() throws Exception {
        HttpResponse<String> response = client.get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(V3);
        DocumentContext json = JsonPath.parse(response.body());
        assertThat(json.read("$.status", String.class)).isEqualTo("UP");
        assertThat(json.read("$", Map.class)).doesNotContainKeys("components", "details");
        assertThat(json.read("$.groups", List.class)).containsExactly("liveness", "readiness");
        assertThat(client.get("/actuator/health/switch").statusCode())
                .as("a component is not reachable when components are not shown")
                .isEqualTo(404);
    }

    @Test
    void aDownApplicationIsAnswered503AndOutOfServiceToo() throws Exception {
        health.status = Health.down().withDetail("secret", "never shown").build();
        HttpResponse<String> down = client.get("/actuator/health");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(JsonPath.parse(down.body()).read("$.status", String.class)).isEqualTo("DOWN");
        assertThat(down.body()).doesNotContain("never shown");

        health.status = Health.outOfService().build();
        assertThat(client.get("/actuator/health").statusCode()).isEqualTo(503);

        health.status = Health.up().build();
        assertThat(client.get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void livenessAndReadinessProbesAnswer200OnARunningApplication() throws Exception {
        for (String probe : List.of("liveness", "readiness")) {
            HttpResponse<String> response = client.get("/actuator/health/" + probe);
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(JsonPath.parse(response.body()).read("$.status", String.class))
                    .isEqualTo("UP");
        }
        assertThat(client.get("/actuator/health/startup").statusCode()).isEqualTo(404);
    }

    @Test
    void loggersWriteOperationChangesALoggersLevel() throws Exception {
        String logger = "dev.httpsd.test.loggers";
        HttpResponse<String> write = client.post("/actuator/loggers/" + logger, "application/json", """
                {"configuredLevel":"TRACE"}""");
        assertThat(write.statusCode()).isEqualTo(204);
        assertThat(loggingSystem.getLoggerConfiguration(logger).getConfiguredLevel())
                .isEqualTo(LogLevel.TRACE);
        DocumentContext read =
                JsonPath.parse(client.get("/actuator/loggers/" + logger).body());
        assertThat(read.read("$.configuredLevel", String.class)).isEqualTo("TRACE");

        HttpResponse<String> reset = client.post("/actuator/loggers/" + logger, V3, "{}");
        assertThat(reset.statusCode()).isEqualTo(204);
        assertThat(loggingSystem.getLoggerConfiguration(logger).getConfiguredLevel())
                .isNull();
    }

    @Test
    void aUserEndpointIsReadWrittenAndDeletedThroughSelectorsBodiesAndQueryParameters() throws Exception {
        assertThat(client.post("/actuator/notes/alpha", "application/json", "{\"text\":\"first\"}")
                        .statusCode())
                .isEqualTo(204);
        assertThat(client.post("/actuator/notes/beta", "application/json", "{\"text\":\"second\"}")
                        .statusCode())
                .isEqualTo(204);
        assertThat(client.get("/actuator/notes/alpha").body()).isEqualTo("first");
        assertThat(JsonPath.parse(client.get("/actuator/notes").body()).read("$", Map.class))
                .containsOnlyKeys("alpha", "beta");
        assertThat(JsonPath.parse(client.get("/actuator/notes?prefix=b").body()).read("$", Map.class))
                .containsOnlyKeys("beta");

        assertThat(client.delete("/actuator/notes/alpha").statusCode()).isEqualTo(204);
        assertThat(client.get("/actuator/notes/alpha").statusCode())
                .as("a read returning null")
                .isEqualTo(404);
        assertThat(client.post("/actuator/notes/gamma", "application/json", "{}")
                        .statusCode())
                .as("a missing argument")
                .isEqualTo(400);
        assertThat(client.post("/actuator/notes/gamma", "application/json", "[1, 2]")
                        .statusCode())
                .as("a body that is not a JSON object")
                .isEqualTo(400);
        assertThat(client.post("/actuator/notes/gamma", "text/plain", "{\"text\":\"x\"}")
                        .statusCode())
                .as("a body that is not JSON")
                .isEqualTo(415);
    }

    @Test
    void aSelectorMatchingAllRemainingSegmentsGetsThemDecoded() throws Exception {
        DocumentContext json = JsonPath.parse(
                client.get("/actuator/files/etc/my%20app/app.yml").body());
        assertThat(json.read("$.segments", List.class)).containsExactly("etc", "my app", "app.yml");
    }

    @Test
    void prometheusIsScrapedWithTheServersMeters() throws Exception {
        HttpResponse<String> scrape = client.get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain;version=0.0.4");
        assertThat(scrape.body()).contains("httpsd_connections_current").contains("httpsd_connections_opened_total");

        HttpResponse<String> openMetrics =
                client.get("/actuator/prometheus", "Accept", "application/openmetrics-text; version=1.0.0");
        assertThat(openMetrics.statusCode()).isEqualTo(200);
        assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/openmetrics-text");
        assertThat(openMetrics.body()).endsWith("# EOF\n");
    }

    @Test
    void metricsTakeRepeatedTagParametersAndRefuseMalformedOnes() throws Exception {
        HttpResponse<String> metric =
                client.get("/actuator/metrics/httpsd.connections.current?tag=transport:secure&tag=port:" + port());
        assertThat(metric.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(metric.body()).read("$.name", String.class)).isEqualTo("httpsd.connections.current");
        assertThat(client.get("/actuator/metrics/httpsd.connections.current?tag=nocolon")
                        .statusCode())
                .isEqualTo(400);
        assertThat(client.get("/actuator/metrics/no.such.meter").statusCode()).isEqualTo(404);
    }

    @Test
    void acceptHeadersChooseTheRepresentationOrAreRefused() throws Exception {
        HttpResponse<String> json = client.get("/actuator/health", "Accept", "application/json");
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(client.get("/actuator/health", "Accept", "text/html").statusCode())
                .isEqualTo(406);
    }

    @Test
    void unknownPathsAndMethodsAreRefusedAsHttpSays() throws Exception {
        assertThat(client.get("/actuator/env").statusCode()).isEqualTo(404);
        assertThat(client.get("/elsewhere").statusCode()).isEqualTo(404);
        HttpResponse<String> post = client.post("/actuator/health", "application/json", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow").orElseThrow()).contains("GET");
        try (RawHttpConnection raw = new RawHttpConnection(client.port())) {
            RawHttpConnection.Response head = raw.send("HEAD /actuator/health HTTP/1.1\r\nHost: x\r\n\r\n")
                    .read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    private int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.https-server.port"));
    }

    // ---- the application ---------------------------------------------------------------------

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Switch switchHealthIndicator() {
            return new Switch();
        }

        @Bean
        Notes notes() {
            return new Notes();
        }

        @Bean
        Files files() {
            return new Files();
        }

        @Bean
        Hello hello() {
            return new Hello();
        }
    }

    /** A health contributor the tests turn DOWN and back. */
    static class Switch implements HealthIndicator {
        volatile Health status = Health.up().build();

        @Override
        public Health health() {
            return status;
        }
    }

    @Endpoint(id = "notes")
    static class Notes {
        private final Map<String, String> notes = new ConcurrentSkipListMap<>();

        @ReadOperation
        Map<String, String> all(@Nullable String prefix) {
            Map<String, String> selected = new TreeMap<>(notes);
            selected.keySet().removeIf(name -> prefix != null && !name.startsWith(prefix));
            return selected;
        }

        @ReadOperation
        @Nullable
        String one(@Selector String name) {
            return notes.get(name);
        }

        @WriteOperation
        void write(@Selector String name, String text) {
            notes.put(name, text);
        }

        @DeleteOperation
        void remove(@Selector String name) {
            notes.remove(name);
        }
    }

    @Endpoint(id = "files")
    static class Files {
        @ReadOperation
        Map<String, Object> file(@Selector(match = Match.ALL_REMAINING) String... path) {
            return Map.of("segments", List.of(path));
        }
    }

    static class Hello {
        @UriMapping(uri = "/hello")
        String hello() {
            return "hi";
        }
    }
}
