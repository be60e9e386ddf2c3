package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.tls.CertificateRefusal.ClientCertificate;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * Mutual TLS: client certificate kind × TLS version × REQUIRED/OPTIONAL, each through {@link
 * HttpClient} and a raw {@code SSLSocket}; curl for the valid case and rejections. REQUIRED lets
 * only a valid certificate in; OPTIONAL lets no certificate and a valid one in; a certificate that
 * does not verify (self-signed, unknown CA, expired, not yet valid, or not issued for clients) is
 * refused in both.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
@ExtendWith(HostileSuiteRecord.class)
class ClientAuthMatrixTest {

    @Parameter
    TlsEngine engine;

    @TempDir
    static Path dir;

    static ClientAuthServers servers;

    @BeforeParameterizedClassInvocation
    static void startServers(TlsEngine engine) throws Exception {
        servers = ClientAuthServers.start(engine, h -> h);
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

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (ClientAuth mode : List.of(ClientAuth.REQUIRED, ClientAuth.OPTIONAL)) {
            for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                for (ClientCertificate certificate : ClientCertificate.values()) {
                    boolean accepted = certificate == ClientCertificate.VALID
                            || (mode == ClientAuth.OPTIONAL && certificate == ClientCertificate.NONE);
                    cases.add(Arguments.of(mode, protocol, certificate, accepted));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} client certificate {2}: accepted={3}")
    @MethodSource("matrix")
    void httpClientGetsExactlyTheExpectedOutcome(
            ClientAuth mode, String protocol, ClientCertificate certificate, boolean accepted) throws Exception {
        SSLContext context = TlsFixtures.clientContext(certificate.key);
        int port = server(mode).port();
        try (HttpClient client = TlsFixtures.httpClient(context, TlsFixtures.protocols(protocol))) {
            if (accepted) {
                var response = TlsFixtures.get(client, port, "/tls");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("protocol=" + protocol).contains(expectedPeer(certificate));
            } else {
                assertRefused(() -> TlsFixtures.get(client, port, "/tls"), mode, protocol, certificate);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} client certificate {2}: accepted={3}")
    @MethodSource("matrix")
    void sslSocketGetsExactlyTheExpectedOutcome(
            ClientAuth mode, String protocol, ClientCertificate certificate, boolean accepted) throws Exception {
        SSLContext context = TlsFixtures.clientContext(certificate.key);
        int port = server(mode).port();
        if (accepted) {
            RawClient.Response response = TlsFixtures.fetch(context, port, "/tls", TlsFixtures.protocols(protocol));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("protocol=" + protocol).contains(expectedPeer(certificate));
        } else {
            // TLS 1.3 clients finish their side first: the refusal may arrive with the response
            assertRefused(
                    () -> TlsFixtures.fetch(context, port, "/tls", TlsFixtures.protocols(protocol)),
                    mode,
                    protocol,
                    certificate);
        }
    }

    @Test
    void curlWithAValidClientCertificateIsServed() throws Exception {
        ExternalProcess.Result curl = curl(ClientAuth.REQUIRED, TlsFixtures.CLIENT);

        assertThat(curl.exitCode()).as(curl.output()).isZero();
        assertThat(curl.output()).contains("peer=CN=test client");
    }

    @Test
    void curlWithoutAClientCertificateIsRefusedWhenRequired() throws Exception {
        ExternalProcess.Result curl = curl(ClientAuth.REQUIRED, null);

        // TLS 1.3: the alert arrives when curl reads the response (56, "recv failure")
        assertThat(curl.exitCode()).as(curl.output()).isEqualTo(56);
        assertThat(curl.output()).contains("alert certificate required").doesNotContain("protocol=");
    }

    @Test
    void curlWithoutAClientCertificateIsServedWhenOptional() throws Exception {
        ExternalProcess.Result curl = curl(ClientAuth.OPTIONAL, null);

        assertThat(curl.exitCode()).as(curl.output()).isZero();
        assertThat(curl.output()).contains("peer=-");
    }

    @Test
    void curlWithACertificateFromAnUnknownCaIsRefusedEvenWhenOptional() throws Exception {
        ExternalProcess.Result curl = curl(ClientAuth.OPTIONAL, ClientCertificate.UNKNOWN_CA.key);

        assertThat(curl.exitCode()).as(curl.output()).isEqualTo(56);
        assertThat(curl.output())
                .contains(CertificateRefusal.curlAlert(engine, "TLSv1.3", ClientCertificate.UNKNOWN_CA))
                .doesNotContain("protocol=");
    }

    private static ExternalProcess.Result curl(ClientAuth mode, KeyMaterial key) throws Exception {
        return CertificateRefusal.curl(server(mode).port(), dir, key);
    }

    /** The refusal this engine gives this certificate (see {@link CertificateRefusal#assertRefused}). */
    private void assertRefused(ThrowingCallable call, ClientAuth mode, String protocol, ClientCertificate certificate)
            throws InterruptedException {
        EventRecorder events = servers.events(mode);
        CertificateRefusal.assertRefused(call, events, engine, protocol, certificate, false);
    }

    private static TlsTestServer server(ClientAuth mode) {
        return mode == ClientAuth.REQUIRED ? servers.required : servers.optional;
    }

    private static String expectedPeer(ClientCertificate certificate) {
        return certificate == ClientCertificate.VALID ? "peer=CN=test client,CN=httpsd test CA" : "peer=-";
    }
}
