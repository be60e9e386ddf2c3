package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void servesAHandlerOverHttpClientAndRawSocket() throws Exception {
        HttpServer server =
                HttpServer.start(HttpServerConfig.builder().serverPort(0).build());
        try {
            server.registerUriHandler(UriHandler.of(
                    "/hello",
                    HttpMethod.GET,
                    (req, resp) -> resp.contentType("text/plain").send("Hello World!")));
            var client = HttpClient.newHttpClient();
            var response = client.send(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hello"))
                            .build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Hello World!");
            try (RawClient raw = new RawClient(server.port())) {
                var r = raw.exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(r.status()).isEqualTo(200);
                var r2 = raw.exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(r2.status()).isEqualTo(404);
                assertThat(r2.bodyText()).isEqualTo("Nothing matches the given URI");
            }
        } finally {
            server.stop();
        }
    }
}
