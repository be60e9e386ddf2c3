package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.proxy.ProxyHeaderWriter;
import dev.httpsd.server.proxy.ProxyProtocol;
import dev.httpsd.server.proxy.TrustedProxies;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PROXY protocol in front of TLS, on both engines: the header is read before the handshake,
 * the handshake then runs on the bytes that follow it, and the handler sees the header's client;
 * a TLS client that sends no header is refused before any handshake.
 */
class ProxyProtocolTlsTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 4711);
    private static final InetSocketAddress SERVER = new InetSocketAddress("198.51.100.1", 443);

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void theHeaderComesBeforeTheHandshakeAndNamesTheClient(TlsEngine engine) throws Exception {
        assumeEngine(engine);
        try (TlsTestServer server = start(engine)) {
            for (byte[] header :
                    new byte[][] {ProxyHeaderWriter.v1(CLIENT, SERVER), ProxyHeaderWriter.v2(CLIENT, SERVER)}) {
                Socket tcp = new Socket(InetAddress.getLoopbackAddress(), server.port());
                tcp.getOutputStream().write(header);
                try (RawClient tls = new RawClient(layer(tcp, server.port()))) {
                    RawClient.Response response =
                            tls.exchange("GET /who HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

                    assertThat(response.bodyText())
                            .isEqualTo("203.0.113.7:4711 via 127.0.0.1:" + tcp.getLocalPort() + " over TLS");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void aTlsClientWithoutAHeaderIsRefusedBeforeAnyHandshake(TlsEngine engine) throws Exception {
        assumeEngine(engine);
        try (TlsTestServer server = start(engine)) {
            Socket tcp = new Socket(InetAddress.getLoopbackAddress(), server.port());
            try (SSLSocket tls = layer(tcp, server.port())) {
                assertThatThrownBy(tls::startHandshake).isInstanceOf(IOException.class);
            }
        }
    }

    private static void assumeEngine(TlsEngine engine) {
        if (engine == TlsEngine.OPENSSL) {
            TlsTestServer.assumeOpenSslEngine();
        }
    }

    private static TlsTestServer start(TlsEngine engine) throws Exception {
        TlsTestServer server = TlsTestServer.start(
                engine, b -> b.httpd(h -> h.proxyProtocol(ProxyProtocol.trusting(TrustedProxies.of("127.0.0.1")))));
        server.https()
                .httpServer()
                .registerUriHandler(UriHandler.of(
                        "/who",
                        HttpMethod.GET,
                        (req, resp) -> resp.send(req.session()
                                        .remoteAddress()
                                        .getAddress()
                                        .getHostAddress() + ":"
                                + req.session().remoteAddress().getPort()
                                + " via "
                                + req.session()
                                        .proxiedFrom()
                                        .orElseThrow()
                                        .getAddress()
                                        .getHostAddress()
                                + ":"
                                + req.session().proxiedFrom().orElseThrow().getPort()
                                + (TlsSession.of(req.session()).isPresent() ? " over TLS" : " plain"))));
        return server;
    }

    /** TLS over an already connected socket, whose first bytes were the PROXY header. */
    private static SSLSocket layer(Socket tcp, int port) throws Exception {
        tcp.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
        return (SSLSocket)
                TlsFixtures.clientContext(null).getSocketFactory().createSocket(tcp, "localhost", port, true);
    }
}
