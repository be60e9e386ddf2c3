package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.LocalHttpsServerPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@code https-server.http2.enabled=true} in a real Spring application under RANDOM_PORT: an
 * HTTP/2 client is served over h2 by the application's handler methods, and an HTTP/1.1 client
 * still gets HTTP/1.1.
 */
@SpringBootTest(
        classes = TestSupportApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {TestSupportApplication.CONFIG, "https-server.http2.enabled=true"})
class Http2ApplicationTests {

    @LocalHttpsServerPort
    int port;

    @Autowired
    LocalHttpsServer server;

    private HttpResponse<String> get(HttpClient.Version version) throws Exception {
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(server.sslContext())
                .version(version)
                .connectTimeout(TestHttps.TIMEOUT)
                .build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hello?name=h2"))
                            .timeout(TestHttps.TIMEOUT)
                            .build(),
                    BodyHandlers.ofString());
        }
    }

    @Test
    void anHttp2ClientIsServedOverH2ByTheApplicationsHandlers() throws Exception {
        HttpResponse<String> response = get(HttpClient.Version.HTTP_2);

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello h2");
    }

    @Test
    void anHttp11ClientStillGetsHttp11() throws Exception {
        HttpResponse<String> response = get(HttpClient.Version.HTTP_1_1);

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("Hello h2");
    }
}
