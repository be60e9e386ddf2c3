package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerException;
import dev.httpsd.server.UriHandler;
import dev.httpsd.test.LocalHttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;

/**
 * The {@code esp} profile serves the sample with ESP-IDF's defaults and limits: its eight handlers
 * fill ESP's eight slots, a 513-byte URI is answered 414, and TLS comes without ALPN.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("esp")
class SampleEspProfileTests {

    @Autowired
    LocalHttpsServer https;

    @Autowired
    HttpsServerLifecycle lifecycle;

    @Test
    void theSampleIsServedWithEspsLimits() throws Exception {
        HttpServer server = lifecycle.server().httpServer();
        assertThat(server.config().maxOpenSockets()).isEqualTo(4);
        assertThat(server.config().maxUriLen()).isEqualTo(512);
        assertThat(https.get("/").body()).isEqualTo("<h1>Hello Secure World!</h1>");
        assertThat(https.get("/" + "u".repeat(512)).statusCode()).isEqualTo(414);
    }

    @Test
    void itsEightHandlersFillEspsEightSlots() {
        HttpServer server = lifecycle.server().httpServer();

        assertThat(server.uriHandlers()).hasSize(8);
        assertThatThrownBy(() -> server.registerUriHandler(
                        UriHandler.of("/ninth", HttpMethod.GET, (req, resp) -> resp.send("no"))))
                .isInstanceOfSatisfying(
                        HttpServerException.class,
                        e -> assertThat(e.reason()).isEqualTo(HttpServerException.Reason.HANDLERS_FULL));
    }

    @Test
    void tlsComesWithoutAlpnAsEspsNullAlpnProtos() throws Exception {
        try (SSLSocket socket = (SSLSocket)
                https.sslContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), https.port())) {
            socket.setSoTimeout((int) LocalHttpsServer.TIMEOUT.toMillis());
            var parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            assertThat(socket.getApplicationProtocol()).isEmpty();
            socket.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 200 OK");
        }
    }
}
