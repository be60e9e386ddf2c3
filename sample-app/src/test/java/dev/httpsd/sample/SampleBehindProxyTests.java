package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.httpsd.server.RawClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample behind a reverse proxy ({@code server.forward-headers-strategy=native}, the default
 * trusted proxies: loopback and the private networks): {@code /whoami} names the client the proxy
 * reports, keeps the connection's peer beside it, and the URL the client used; a request without
 * forwarded headers is the connection's own. The proxy is played by a raw TLS client on loopback.
 */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.NONE,
        properties = {"https-server.port-secure=0", "server.forward-headers-strategy=native"})
class SampleBehindProxyTests {

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
    void whoamiNamesTheClientAProxyReportsAndTheUrlItUsed() throws Exception {
        try (RawClient proxy = new RawClient(https.socket())) {
            RawClient.Response response = proxy.exchange("""
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
        try (RawClient client = new RawClient(https.socket())) {
            RawClient.Response response =
                    client.exchange("GET /whoami HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n");

            DocumentContext json = JsonPath.parse(response.bodyText());
            assertThat(json.read("$.clientAddress", String.class)).isEqualTo("127.0.0.1");
            assertThat(json.read("$.clientPort", Integer.class)).isEqualTo(client.localPort());
            assertThat(json.read("$.proxies", List.class)).isEmpty();
            assertThat(json.read("$.host", String.class)).isEqualTo("localhost");
        }
    }
}
