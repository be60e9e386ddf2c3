package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.RawHttpConnection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The sample behind a reverse proxy ({@code server.forward-headers-strategy=native}, the default
 * trusted proxies: loopback and the private networks): {@code /whoami} names the client the proxy
 * reports, keeps the connection's peer beside it, and the URL the client used; a request without
 * forwarded headers is the connection's own. The proxy is played by a raw TLS client on loopback.
 */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "server.forward-headers-strategy=native")
class SampleBehindProxyTests {

    @Autowired
    LocalHttpsServer server;

    @Test
    void whoamiNamesTheClientAProxyReportsAndTheUrlItUsed() throws Exception {
        try (RawHttpConnection proxy = new RawHttpConnection(server.connect())) {
            RawHttpConnection.Response response = proxy.exchange("""
                    GET /whoami HTTP/1.1\r
                    Host: 10.0.0.5:8443\r
                    X-Forwarded-For: 203.0.113.7\r
                    X-Forwarded-Proto: https\r
                    X-Forwarded-Host: shop.example\r
                    \r
                    """);

            assertThat(response.status()).isEqualTo(200);
            DocumentContext json = JsonPath.parse(response.bodyText());
            assertThat(json.read("$.clientAddress", String.class)).isEqualTo("203.0.113.7");
            assertThat(json.read("$.remoteAddress", String.class)).contains("127.0.0.1");
            assertThat(json.read("$.proxies", List.class)).containsExactly("127.0.0.1");
            assertThat(json.read("$.scheme", String.class)).isEqualTo("https");
            assertThat(json.read("$.host", String.class)).isEqualTo("shop.example");
            assertThat(json.read("$.port", Integer.class)).isEqualTo(443);
        }
    }

    @Test
    void withoutForwardedHeadersTheClientIsTheConnectionsPeer() throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(server.connect())) {
            RawHttpConnection.Response response =
                    client.exchange("GET /whoami HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n\r\n");

            DocumentContext json = JsonPath.parse(response.bodyText());
            assertThat(json.read("$.clientAddress", String.class)).isEqualTo("127.0.0.1");
            assertThat(json.read("$.clientPort", Integer.class)).isEqualTo(client.localPort());
            assertThat(json.read("$.proxies", List.class)).isEmpty();
            assertThat(json.read("$.host", String.class)).isEqualTo("localhost");
        }
    }
}
