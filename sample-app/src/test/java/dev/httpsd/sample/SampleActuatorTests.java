package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.LocalHttpsServerPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.core.env.Environment;

/**
 * The sample's Actuator endpoints on its management port, which RANDOM_PORT moves to a free port
 * like the server's, with the sample's own management settings: health shows its status only, the
 * probes answer, Prometheus scrapes the server's meters, and the opt-in info sections describe the
 * server and the certificate it presents (the test certificate, not the development one).
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleActuatorTests {

    @LocalHttpsServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    LocalHttpsServer server;

    @Autowired
    Environment environment;

    @Test
    void testsBindEveryPortThroughTheSystemNotTheSamplesFixedOnes() {
        assertThat(environment.getProperty("https-server.port-secure")).isEqualTo("0");
        assertThat(environment.getProperty("https-server.port-insecure")).isEqualTo("0");
        assertThat(environment.getProperty("management.server.port")).isEqualTo("0");
        assertThat(managementPort).isPositive().isNotEqualTo(port).isNotEqualTo(8081);
        assertThat(port).isNotEqualTo(8443);
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
    void infoDescribesTheServerAndTheTestCertificateItPresents() throws Exception {
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
        assertThat(info.read("$.httpsd.developmentCertificate", Boolean.class)).isFalse();
        String bundle = "$.ssl.bundles[?(@.name == 'https-server')].certificateChains[0].certificates[0]";
        assertThat(info.read(bundle + ".subject", List.class)).containsExactly("CN=localhost");
        assertThat(info.read(bundle + ".issuer", List.class)).containsExactly("CN=httpsd test CA");
    }

    @Test
    void metricsCountTheSamplesRequests() throws Exception {
        // other test classes share this context: count from what is there now
        double before = helloCount();
        assertThat(server.get("/hello").statusCode()).isEqualTo(200);
        await().atMost(LocalHttpsServer.TIMEOUT)
                .untilAsserted(() -> assertThat(helloCount()).isEqualTo(before + 1));
    }

    /** The count of http.server.requests for GET /hello answered 200; 0 before the first. */
    private double helloCount() throws Exception {
        HttpResponse<String> metric = actuator("/metrics/http.server.requests?tag=uri:/hello&tag=status:200");
        if (metric.statusCode() == 404) {
            return 0;
        }
        List<Number> counts =
                JsonPath.parse(metric.body()).read("$.measurements[?(@.statistic == 'COUNT')].value", List.class);
        assertThat(counts).hasSize(1);
        return counts.getFirst().doubleValue();
    }

    private HttpResponse<String> actuator(String path) throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(LocalHttpsServer.TIMEOUT).build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator" + path))
                            .timeout(LocalHttpsServer.TIMEOUT)
                            .build(),
                    BodyHandlers.ofString());
        }
    }
}
