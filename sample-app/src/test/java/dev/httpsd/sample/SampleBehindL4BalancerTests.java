package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.proxy.ProxyHeaderWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample behind a TCP (L4) balancer speaking the PROXY protocol, played by a Java client on
 * loopback that sends a version 2 header, then TLS: {@code /whoami} names the header's client as
 * the remote address and the balancer as {@code proxiedFrom}.
 */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.NONE,
        properties = {
            "https-server.port-secure=0",
            "https-server.proxy-protocol.enabled=true",
            "https-server.proxy-protocol.trusted-sources=127.0.0.1"
        })
class SampleBehindL4BalancerTests {

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
    void whoamiNamesTheClientOfTheProxyHeader() throws Exception {
        Socket tcp = new Socket(InetAddress.getLoopbackAddress(), port);
        tcp.getOutputStream()
                .write(ProxyHeaderWriter.v2(
                        new InetSocketAddress("203.0.113.7", 4711), new InetSocketAddress("198.51.100.1", 443)));
        try (RawClient client = new RawClient(https.layer(tcp))) {
            RawClient.Response response =
                    client.exchange("GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            DocumentContext json = JsonPath.parse(response.bodyText());
            assertThat(json.read("$.remoteAddress", String.class)).isEqualTo("/203.0.113.7:4711");
            assertThat(json.read("$.proxiedFrom", String.class)).isEqualTo("/127.0.0.1:" + tcp.getLocalPort());
            assertThat(json.read("$.clientAddress", String.class)).isEqualTo("203.0.113.7");
            assertThat(json.read("$.protocol", String.class)).isEqualTo("TLSv1.3");
        }
    }
}
