package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** ALPN: {@code http/1.1} by default, the server's preference order, and off when empty. */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class AlpnTest {

    @Parameter
    TlsEngine engine;

    private static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @Test
    void opensslAskingForHttp11GetsIt() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine)) {
            String output = OpenSsl.exchange(server.port(), REQUEST, "alpn=", "-alpn", "http/1.1");

            assertThat(output).contains("ALPN protocol: http/1.1").contains("alpn=http/1.1");
        }
    }

    @Test
    void opensslOfferingH2FirstStillGetsHttp11() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine)) {
            assertThat(OpenSsl.exchange(server.port(), REQUEST, "alpn=", "-alpn", "h2,http/1.1"))
                    .contains("ALPN protocol: http/1.1");
        }
    }

    @Test
    void aClientOfferingOnlyProtocolsTheServerDoesNotSpeakIsRefused() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine)) {
            ExternalProcess.Result h2 = OpenSsl.sClient(server.port(), null, "-brief", "-alpn", "h2");

            assertThat(h2.exitCode()).isNotZero();
            assertThat(h2.output()).contains("no application protocol");
        }
    }

    @Test
    void httpClientNegotiatesHttp11AndTheHandlerSeesIt() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine);
                HttpClient client = TlsFixtures.httpClient(TlsFixtures.clientContext(null))) {
            var response = TlsFixtures.get(client, server.port(), "/tls");

            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(response.body()).contains("alpn=http/1.1");
        }
    }

    @Test
    void aClientWithoutAlpnIsServedWithNoProtocolAgreed() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine)) {
            var response = TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/tls", p -> {});

            assertThat(response.bodyText()).contains("alpn=-");
            assertThat(OpenSsl.exchange(server.port(), REQUEST, "alpn=")).contains("No ALPN negotiated");
        }
    }

    @Test
    void theServersPreferenceOrderDecides() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine, b -> b.alpnProtocols(List.of("x-first", "http/1.1")));
                SSLSocket socket = TlsFixtures.connect(
                        TlsFixtures.clientContext(null),
                        server.port(),
                        p -> p.setApplicationProtocols(new String[] {"http/1.1", "x-first"}))) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("x-first");
        }
    }

    @Test
    void anEmptyListSwitchesAlpnOff() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(engine, b -> b.alpnProtocols(List.of()))) {
            String output = OpenSsl.exchange(server.port(), REQUEST, "alpn=", "-alpn", "h2,http/1.1");
            assertThat(output).contains("No ALPN negotiated").contains("alpn=-");

            try (HttpClient client = TlsFixtures.httpClient(TlsFixtures.clientContext(null))) {
                var response = TlsFixtures.get(client, server.port(), "/tls");
                assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
                assertThat(response.body()).contains("alpn=-");
            }
        }
    }
}
