package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.RawHttpConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The sample behind a TCP (L4) balancer speaking the PROXY protocol, played by a Java client on
 * loopback that sends a version 2 header (as HAProxy's {@code send-proxy-v2}), then TLS: {@code
 * /whoami} names the header's client as the remote address and the balancer as {@code
 * proxiedFrom}.
 */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "https-server.proxy-protocol.enabled=true",
            "https-server.proxy-protocol.trusted-sources=127.0.0.1"
        })
class SampleBehindL4BalancerTests {

    /** PROXY v2, TCP over IPv4: 203.0.113.7:4711 reached 198.51.100.1:443. */
    private static final byte[] HEADER = HexFormat.of()
            .parseHex("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c" + "cb007107" + "c6336401" + "1267" + "01bb");

    @Autowired
    LocalHttpsServer server;

    @Test
    void whoamiNamesTheClientOfTheProxyHeader() throws Exception {
        Socket tcp = new Socket(InetAddress.getLoopbackAddress(), server.port());
        tcp.setSoTimeout((int) LocalHttpsServer.TIMEOUT.toMillis());
        tcp.getOutputStream().write(HEADER);
        Socket tls = server.sslContext().getSocketFactory().createSocket(tcp, "localhost", server.port(), true);
        try (RawHttpConnection client = new RawHttpConnection(tls)) {
            RawHttpConnection.Response response =
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
