package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.test.RawHttpConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HexFormat;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code https-server.proxy-protocol.*}: with it enabled a TLS connection must begin with a PROXY
 * header from a trusted source, whose client the handlers then see (and whose own forwarded
 * headers are not believed, the client being no trusted proxy); enabling it without naming the
 * balancers stops the start on the property.
 */
class ProxyProtocolPropertiesTests {

    /** PROXY v2, TCP over IPv4: 203.0.113.7:4711 reached 198.51.100.1:443 (HAProxy's send-proxy-v2). */
    private static final byte[] HEADER = HexFormat.of()
            .parseHex("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c" + "cb007107" + "c6336401" + "1267" + "01bb");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial())
            .withBean(HttpsServerCustomizer.class, () -> new HttpsServerCustomizer() {
                @Override
                public void customize(HttpsServerConfig.Builder config) {}

                @Override
                public void configure(HttpServer server) {
                    server.registerUriHandler(UriHandler.of(
                            "/origin",
                            HttpMethod.GET,
                            (req, resp) ->
                                    resp.send(req.clientAddress().getAddress().getHostAddress() + " via "
                                            + req.session()
                                                    .proxiedFrom()
                                                    .orElseThrow()
                                                    .getAddress()
                                                    .getHostAddress())));
                }
            });

    @Test
    void enabledTheHeadersClientIsTheRequestsAndItsForwardedHeadersAreNotBelieved() {
        runner.withPropertyValues(
                        "https-server.proxy-protocol.enabled=true",
                        "https-server.proxy-protocol.trusted-sources=127.0.0.1, 10.0.0.0/8",
                        "server.forward-headers-strategy=native")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Socket tcp = new Socket(InetAddress.getLoopbackAddress(), port(context));
                    tcp.getOutputStream().write(HEADER);
                    try (RawHttpConnection client = new RawHttpConnection(tls(tcp, port(context)))) {
                        RawHttpConnection.Response response = client.exchange("""
                                GET /origin HTTP/1.1\r
                                Host: localhost\r
                                X-Forwarded-For: 10.9.9.9\r
                                Connection: close\r
                                \r
                                """);

                        assertThat(response.bodyText()).isEqualTo("203.0.113.7 via 127.0.0.1");
                    }
                });
    }

    @Test
    void enabledAConnectionWithoutAHeaderIsRefused() {
        runner.withPropertyValues(
                        "https-server.proxy-protocol.enabled=true",
                        "https-server.proxy-protocol.trusted-sources=127.0.0.1")
                .run(context -> {
                    Socket tcp = new Socket(InetAddress.getLoopbackAddress(), port(context));
                    try (SSLSocket tls = tls(tcp, port(context))) {
                        assertThatThrownBy(tls::startHandshake).isInstanceOf(IOException.class);
                    }
                });
    }

    @Test
    void enabledWithoutTrustedSourcesStopsTheStartOnTheProperty() {
        runner.withPropertyValues("https-server.proxy-protocol.enabled=true")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
                            assertThat(invalid.getName()).isEqualTo("https-server.proxy-protocol.trusted-sources");
                            assertThat(invalid.getReason()).contains("name the balancers' addresses");
                        }));
        runner.withPropertyValues(
                        "https-server.proxy-protocol.enabled=true",
                        "https-server.proxy-protocol.trusted-sources=127.0.0.1",
                        "https-server.proxy-protocol.max-header-size=100B")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOfSatisfying(
                                InvalidConfigurationPropertyValueException.class,
                                invalid -> assertThat(invalid.getName())
                                        .isEqualTo("https-server.proxy-protocol.max-header-size")));
    }

    private static SSLSocket tls(Socket tcp, int port) throws Exception {
        tcp.setSoTimeout((int) TestHttps.TIMEOUT.toMillis());
        return (SSLSocket) TestHttps.clientContext(null).getSocketFactory().createSocket(tcp, "localhost", port, true);
    }
}
