package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample's Actuator endpoints on its management port, which tests bind to a port the system
 * picks (src/test/resources/config/application.properties) instead of the sample's 8081, with the
 * sample's own management settings: health shows its status only, the probes answer, Prometheus
 * scrapes the server's meters, and the opt-in info sections describe the server and its
 * development certificate.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.NONE)
class SampleActuatorTests {

    @TempDir
    static Path devCertificates;

    @Value("${local.https-server.port}")
    int port;

    @Value("${local.management.port}")
    int managementPort;

    @Autowired
    Environment environment;

    @DynamicPropertySource
    static void developmentCertificateDirectory(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.dev-certificate.directory", () -> devCertificates.toString());
    }

    @Test
    void testsBindEveryPortThroughTheSystemNotTheSamplesFixedOnes() {
        assertThat(environment.getProperty("https-server.port-secure")).isEqualTo("0");
        assertThat(environment.getProperty("https-server.port-insecure")).isEqualTo("0");
        assertThat(environment.getProperty("management.server.port")).isEqualTo("0");
        assertThat(managementPort).isPositive().isNotEqualTo(port);
    }

    @Test
    void healthShowsItsStatusOnlyAndTheProbesAnswer() throws Exception {
        HttpResponse<String> health = actuator("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        DocumentContext json = JsonPath.parse(health.body());
        assertThat(json.read("$.status", String.class)).isEqualTo("UP");
        assertThat(json.read("$", Map.class)).doesNotContainKey("components");
        assertThat(actuator("/health/liveness").statusCode()).isEqualTo(200);
        assertThat(actuator("/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusScrapesTheServersMeters() throws Exception {
        HttpResponse<String> scrape = actuator("/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("httpsd_connections_current{port=\"" + port + "\",transport=\"secure\"}")
                .contains("httpsd_connections_opened_total");
    }

    @Test
    void infoDescribesTheServerAndItsDevelopmentCertificate() throws Exception {
        DocumentContext info = JsonPath.parse(actuator("/info").body());
        List<String> uris = info.read("$.httpsd.uriHandlers[*].uri");
        assertThat(uris)
                .containsExactlyInAnyOrder(
                        "/",
                        "/hello",
                        "/whoami",
                        "/events",
                        "/echo",
                        "/ctrl",
                        "/async",
                        "/ws",
                        "/api/greetings/{name}",
                        "/api/greetings",
                        "/api/greetings");
        assertThat(info.read("$.httpsd.developmentCertificate", Boolean.class)).isTrue();
        assertThat(info.read(
                        "$.ssl.bundles[?(@.name == 'https-server')].certificateChains[0].certificates[0].subject",
                        List.class))
                .containsExactly("CN=localhost");
    }

    @Test
    void metricsCountTheSamplesRequests() throws Exception {
        SampleHttps https = SampleHttps.trustingDevelopmentCertificate(port, devCertificates);
        assertThat(https.get("/hello").statusCode()).isEqualTo(200);
        await().atMost(SampleHttps.TIMEOUT)
                .untilAsserted(() -> assertThat(
                                JsonPath.parse(actuator("/metrics/http.server.requests?tag=uri:/hello&tag=status:200")
                                                .body())
                                        .read("$.measurements[?(@.statistic == 'COUNT')].value", List.class))
                        .singleElement()
                        .satisfies(count -> assertThat(((Number) count).doubleValue())
                                .as("this context's only HTTPS request")
                                .isEqualTo(1.0)));
    }

    private HttpResponse<String> actuator(String path) throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(SampleHttps.TIMEOUT).build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator" + path))
                            .timeout(SampleHttps.TIMEOUT)
                            .build(),
                    BodyHandlers.ofString());
        }
    }
}
