package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.httpsd.autoconfigure.actuate.ManagementServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
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
 * picks (src/test/resources/config/application.properties) instead of the sample's 8081.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.NONE)
class SampleActuatorTests {

    @TempDir
    static Path devCertificates;

    @Value("${local.https-server.port}")
    int port;

    @Autowired
    ManagementServer management;

    @Autowired
    Environment environment;

    @DynamicPropertySource
    static void developmentCertificateDirectory(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.dev-certificate-directory", () -> devCertificates.toString());
    }

    @Test
    void testsBindEveryPortThroughTheSystemNotTheSamplesFixedOnes() {
        assertThat(environment.getProperty("https-server.port-secure")).isEqualTo("0");
        assertThat(environment.getProperty("https-server.port-insecure")).isEqualTo("0");
        assertThat(environment.getProperty("management.server.port")).isEqualTo("0");
        assertThat(management.port()).isPositive();
    }

    @Test
    void healthIsUpAndDescribesTheServerAndItsDevelopmentCertificate() throws Exception {
        DocumentContext health = JsonPath.parse(actuator("/health"));
        assertThat(health.read("$.components.httpsServer.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.httpsServer.details.port", Integer.class))
                .isEqualTo(port);
        assertThat(health.read("$.components.httpsServer.details.validChains[0].certificates[0].subject", String.class))
                .isEqualTo("CN=localhost");
    }

    @Test
    void infoListsTheSamplesHandlersAndMetricsCountItsRequests() throws Exception {
        List<String> uris = JsonPath.parse(actuator("/info")).read("$.httpsServer.uriHandlers[*].uri");
        assertThat(uris)
                .containsExactlyInAnyOrder("/", "/hello", "/whoami", "/events", "/echo", "/ctrl", "/async", "/ws");

        SampleHttps https = SampleHttps.trustingDevelopmentCertificate(port, devCertificates);
        assertThat(https.get("/hello").statusCode()).isEqualTo(200);
        await().atMost(SampleHttps.TIMEOUT)
                .untilAsserted(() -> assertThat(JsonPath.parse(
                                        actuator("/metrics/httpsd.requests?tag=port:" + port + "&tag=status:2xx"))
                                .read("$.measurements[?(@.statistic == 'COUNT')].value", List.class))
                        .singleElement()
                        .satisfies(count -> assertThat(((Number) count).doubleValue())
                                .as("this context's only HTTPS request")
                                .isEqualTo(1.0)));
    }

    private String actuator(String path) throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(SampleHttps.TIMEOUT).build()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.port() + "/actuator" + path))
                            .timeout(SampleHttps.TIMEOUT)
                            .build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        }
    }
}
