package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.Http2Config;
import dev.httpsd.server.tls.CertificateRefusal.ClientCertificate;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutual TLS with HTTP/2 offered (ALPN {@code h2}): a refused client certificate gets the same TLS
 * alert as over HTTP/1.1 ({@code ClientAuthMatrixTest}), seen by {@code HttpClient} speaking
 * HTTP/2 and by {@code curl --http2}, and the server posts the same events. In TLS 1.3 the server
 * verifies the client's certificate when it reads the client's last flight, after the client has
 * finished its side and sent the HTTP/2 preface: the alert must still reach the client before
 * the connection ends, and nothing the client sent after it may turn the close into a reset.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
@ExtendWith(HostileSuiteRecord.class)
class ClientAuthHttp2Test {

    @Parameter
    TlsEngine engine;

    @TempDir
    static Path dir;

    static ClientAuthServers servers;

    @BeforeParameterizedClassInvocation
    static void startServers(TlsEngine engine) throws Exception {
        servers = ClientAuthServers.start(engine, h -> h.http2(Http2Config.DEFAULTS.withEnabled(true)));
    }

    @BeforeEach
    void connectBystanders() throws Exception {
        servers.connectBystanders();
    }

    @AfterEach
    void nobodyElseNoticed() throws Exception {
        servers.assertNobodyNoticed();
    }

    @AfterParameterizedClassInvocation
    static void stopServers() {
        if (servers != null) {
            servers.close();
            servers = null;
        }
    }

    /** Every refused case: no certificate where one is required, and each that does not verify. */
    static Stream<Arguments> refusals() {
        List<Arguments> cases = new ArrayList<>();
        for (ClientAuth mode : List.of(ClientAuth.REQUIRED, ClientAuth.OPTIONAL)) {
            for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                if (mode == ClientAuth.REQUIRED) {
                    cases.add(Arguments.of(mode, protocol, ClientCertificate.NONE));
                }
                for (ClientCertificate certificate : ClientCertificate.notVerifying()) {
                    cases.add(Arguments.of(mode, protocol, certificate));
                }
            }
        }
        return cases.stream();
    }

    /** The accepted cases, which prove that h2 is what these servers negotiate. */
    static Stream<Arguments> acceptances() {
        return Stream.of(
                Arguments.of(ClientAuth.REQUIRED, ClientCertificate.VALID),
                Arguments.of(ClientAuth.OPTIONAL, ClientCertificate.VALID),
                Arguments.of(ClientAuth.OPTIONAL, ClientCertificate.NONE));
    }

    @ParameterizedTest(name = "{0} client certificate {1}")
    @MethodSource("acceptances")
    void anAcceptedClientIsServedOverHttp2(ClientAuth mode, ClientCertificate certificate) throws Exception {
        try (HttpClient client = http2Client(certificate, "TLSv1.3")) {
            HttpResponse<String> response = TlsFixtures.get(client, server(mode).port(), "/tls");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).contains("alpn=h2");
        }
    }

    @ParameterizedTest(name = "{0} {1} client certificate {2}")
    @MethodSource("refusals")
    void httpClientSpeakingHttp2SeesTheAlertOfItsRefusedCertificate(
            ClientAuth mode, String protocol, ClientCertificate certificate) throws Exception {
        try (HttpClient client = http2Client(certificate, protocol)) {
            int port = server(mode).port();

            CertificateRefusal.assertRefused(
                    () -> TlsFixtures.get(client, port, "/tls"), events(mode), engine, protocol, certificate, true);
        }
    }

    @ParameterizedTest(name = "{0} {1} client certificate {2}")
    @MethodSource("refusals")
    void curlSpeakingHttp2SeesTheAlertOfItsRefusedCertificate(
            ClientAuth mode, String protocol, ClientCertificate certificate) throws Exception {
        EventRecorder events = events(mode);
        int before = events.https(HttpsServerEvent.Error.class).size();
        // -v: curl reports a certificate_expired alert as its own verification failure (60), and
        // only its trace names the alert
        List<String> options = new ArrayList<>(List.of("--http2", "-v"));
        options.addAll(protocol.equals("TLSv1.3") ? List.of("--tlsv1.3") : List.of("--tlsv1.2", "--tls-max", "1.2"));
        ExternalProcess.Result curl =
                CertificateRefusal.curl(server(mode).port(), dir, certificate.key, options.toArray(String[]::new));

        // 35 in the handshake (TLS 1.2), 56 when reading the response (TLS 1.3); never 55, a
        // failed send or getpeername() on a connection reset under it
        assertThat(curl.exitCode()).as(curl.output()).isIn(35, 56, 60);
        String alert = CertificateRefusal.curlAlert(engine, protocol, certificate);
        assertThat(curl.output())
                .as("curl names the alert")
                .containsAnyOf(alert, "TLS " + alert.replace("alert ", "alert, "))
                .doesNotContain("protocol=");
        CertificateRefusal.assertServerRefused(events, before, engine, protocol, certificate);
    }

    /** {@code HttpClient} asking for HTTP/2 (its default, said here), with this certificate and TLS version. */
    private static HttpClient http2Client(ClientCertificate certificate, String protocol) throws Exception {
        SSLContext context = TlsFixtures.clientContext(certificate.key);
        SSLParameters parameters = context.getDefaultSSLParameters();
        TlsFixtures.protocols(protocol).accept(parameters);
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(context)
                .sslParameters(parameters)
                .connectTimeout(TlsFixtures.PATIENCE)
                .build();
    }

    private static TlsTestServer server(ClientAuth mode) {
        return mode == ClientAuth.REQUIRED ? servers.required : servers.optional;
    }

    private static EventRecorder events(ClientAuth mode) {
        return servers.events(mode);
    }
}
