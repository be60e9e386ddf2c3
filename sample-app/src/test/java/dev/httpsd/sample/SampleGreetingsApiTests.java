package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's JSON API over HTTPS: {@code GET /api/greetings/{name}}, {@code POST
 * /api/greetings}, 400 problems for malformed or invalid JSON, gzip over 1 KiB.
 */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.NONE,
        properties = "https-server.port-secure=0")
class SampleGreetingsApiTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path devCertificates;

    @Value("${local.https-server.port}")
    int port;

    private SampleHttps https;

    @DynamicPropertySource
    static void developmentCertificateDirectory(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.dev-certificate.directory", () -> devCertificates.toString());
    }

    @BeforeEach
    void trustTheDevelopmentCertificate() throws Exception {
        https = SampleHttps.trustingDevelopmentCertificate(port, devCertificates);
    }

    @Test
    void aGreetingIsJson() throws Exception {
        var response = https.get("/api/greetings/Ada");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"greeting\":\"Hello, Ada!\"}");
    }

    @Test
    void postingANameCreatesAGreetingWithItsLocation() throws Exception {
        var response = post("{\"name\":\"Ada Lovelace\"}");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/greetings/Ada%20Lovelace");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"greeting\":\"Hello, Ada Lovelace!\"}");
        assertThat(https.get("/api/greetings").body()).contains("{\"greeting\":\"Hello, Ada Lovelace!\"}");
    }

    @Test
    void malformedJsonIs400WithAJsonProblem() throws Exception {
        var response = post("{\"name\": Ada");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("detail").asString()).startsWith("Malformed JSON in the request body at line 1");
        assertThat(problem.get("instance").asString()).isEqualTo("/api/greetings");
    }

    @Test
    void aBlankNameIs400ListingTheViolation() throws Exception {
        var response = post("{\"name\":\"  \"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("errors").toString())
                .isEqualTo("[{\"field\":\"name\",\"message\":\"must not be blank\"}]");
    }

    @Test
    void responsesOverOneKibAreGzippedForClientsThatAcceptGzip() throws Exception {
        for (int i = 0; i < 60; i++) {
            assertThat(post("{\"name\":\"visitor " + i + "\"}").statusCode()).isEqualTo(201);
        }
        try (HttpClient client = https.client()) {
            HttpResponse<byte[]> gzipped = client.send(
                    https.request("/api/greetings")
                            .header("Accept-Encoding", "gzip")
                            .build(),
                    BodyHandlers.ofByteArray());
            assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gzipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            String json;
            try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(json.length()).isGreaterThan(1024);
            assertThat(gzipped.body().length).isLessThan(json.length());
            assertThat(JSON.readTree(json).size()).isGreaterThanOrEqualTo(60);

            HttpResponse<String> small = client.send(
                    https.request("/api/greetings/Ada")
                            .header("Accept-Encoding", "gzip")
                            .build(),
                    BodyHandlers.ofString());
            assertThat(small.headers().firstValue("Content-Encoding"))
                    .as("under 1 KiB")
                    .isEmpty();
        }
    }

    private HttpResponse<String> post(String json) throws Exception {
        try (HttpClient client = https.client()) {
            return client.send(
                    https.request("/api/greetings")
                            .header("Content-Type", "application/json")
                            .POST(BodyPublishers.ofString(json))
                            .build(),
                    BodyHandlers.ofString());
        }
    }
}
