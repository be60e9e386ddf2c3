package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerException;
import dev.httpsd.server.UriHandler;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code esp} profile serves the sample with ESP-IDF's defaults and limits: its eight handlers
 * fill ESP's eight slots, a 513-byte URI is answered 414, and TLS comes without ALPN.
 */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.NONE,
        properties = "https-server.port-secure=0")
@ActiveProfiles("esp")
class SampleEspProfileTests {

    @TempDir
    static Path devCertificates;

    @Value("${local.https-server.port}")
    int port;

    @Autowired
    HttpsServerLifecycle lifecycle;

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
        try (SSLSocket socket = (SSLSocket) https.socket()) {
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
