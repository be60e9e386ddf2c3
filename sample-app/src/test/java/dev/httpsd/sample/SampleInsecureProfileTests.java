package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;

/** The {@code insecure} profile serves the same endpoints over plain HTTP, with no TLS at all. */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.NONE,
        properties = "https-server.port-insecure=0")
@ActiveProfiles("insecure")
class SampleInsecureProfileTests {

    @Value("${local.https-server.port}")
    int port;

    @Test
    void rootIsServedOverPlainHttp() throws Exception {
        var response = get("/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("<h1>Hello Secure World!</h1>");
    }

    @Test
    void whoamiReportsNoTlsSession() throws Exception {
        var response = get("/whoami");
        assertThat(JsonPath.<Object>read(response.body(), "$.protocol")).isNull();
        assertThat(JsonPath.<Object>read(response.body(), "$.cipherSuite")).isNull();
    }

    private HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(SampleHttps.TIMEOUT).build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .timeout(SampleHttps.TIMEOUT)
                            .build(),
                    BodyHandlers.ofString());
        }
    }
}
