package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.test.LocalHttpsServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's JSON API over HTTPS, on a free port with the test certificate (https-server-test):
 * {@code GET /api/greetings/{name}}, {@code POST /api/greetings}, 400 problems for malformed or
 * invalid JSON, gzip over 1 KiB.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleGreetingsApiTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    RestTestClient client;

    @Autowired
    LocalHttpsServer server;

    @Test
    void aGreetingIsJson() {
        client.get()
                .uri("/api/greetings/{name}", "Ada")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Content-Type", "application/json")
                .expectBody(String.class)
                .isEqualTo("{\"greeting\":\"Hello, Ada!\"}");
    }

    @Test
    void postingANameCreatesAGreetingWithItsLocation() {
        post("{\"name\":\"Ada Lovelace\"}")
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueEquals("Location", "/api/greetings/Ada%20Lovelace")
                .expectHeader()
                .valueEquals("Content-Type", "application/json")
                .expectBody(String.class)
                .isEqualTo("{\"greeting\":\"Hello, Ada Lovelace!\"}");
        client.get()
                .uri("/api/greetings")
                .exchange()
                .expectBody(String.class)
                .value(all -> assertThat(all).contains("{\"greeting\":\"Hello, Ada Lovelace!\"}"));
    }

    @Test
    void malformedJsonIs400WithAJsonProblem() {
        post("{\"name\": Ada")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .valueEquals("Content-Type", "application/problem+json")
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.detail")
                .value(
                        String.class,
                        detail -> assertThat(detail).startsWith("Malformed JSON in the request body at line 1"))
                .jsonPath("$.instance")
                .isEqualTo("/api/greetings");
    }

    @Test
    void aBlankNameIs400ListingTheViolation() {
        post("{\"name\":\"  \"}")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.length()")
                .isEqualTo(1)
                .jsonPath("$.errors[0].field")
                .isEqualTo("name")
                .jsonPath("$.errors[0].message")
                .isEqualTo("must not be blank");
    }

    @Test
    void responsesOverOneKibAreGzippedForClientsThatAcceptGzip() throws Exception {
        for (int i = 0; i < 60; i++) {
            post("{\"name\":\"visitor " + i + "\"}").expectStatus().isCreated();
        }
        // the JDK client hands over the body as sent, compressed or not
        HttpResponse<byte[]> gzipped = server.httpClient()
                .send(
                        server.request("/api/greetings")
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

        // under 1 KiB: sent as it is
        client.get()
                .uri("/api/greetings/{name}", "Ada")
                .header("Accept-Encoding", "gzip")
                .exchange()
                .expectHeader()
                .doesNotExist("Content-Encoding");
    }

    private RestTestClient.ResponseSpec post(String json) {
        return client.post()
                .uri("/api/greetings")
                .contentType(MediaType.APPLICATION_JSON)
                .body(json)
                .exchange();
    }
}
