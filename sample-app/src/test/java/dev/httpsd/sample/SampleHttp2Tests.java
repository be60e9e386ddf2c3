package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.httpsd.test.LocalHttpsServer;
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
 * The sample as it ships, HTTP/2 on by default ({@code https-server.http2.enabled}): a client that
 * offers {@code h2} in ALPN is served over HTTP/2 by the same handlers, and {@code /whoami} says
 * which protocol each client got.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleHttp2Tests {

    @Autowired
    LocalHttpsServer server;

    @Test
    void whoamiShowsHttp2ToAnH2ClientAndHttp11ToTheOthers() throws Exception {
        DocumentContext h2 = whoami(HttpClient.Version.HTTP_2);
        DocumentContext h1 = whoami(HttpClient.Version.HTTP_1_1);

        assertThat(h2.read("$.httpProtocol", String.class)).isEqualTo("HTTP/2.0");
        assertThat(h2.read("$.alpn", String.class)).isEqualTo("h2");
        assertThat(h1.read("$.httpProtocol", String.class)).isEqualTo("HTTP/1.1");
    }

    private DocumentContext whoami(HttpClient.Version version) throws Exception {
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(server.sslContext())
                .version(version)
                .connectTimeout(LocalHttpsServer.TIMEOUT)
                .build()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/whoami"))
                            .timeout(LocalHttpsServer.TIMEOUT)
                            .build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(version);
            return JsonPath.parse(response.body());
        }
    }
}
