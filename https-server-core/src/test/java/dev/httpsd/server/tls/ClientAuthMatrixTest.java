package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.RawClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
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
class ClientAuthMatrixTest {

    @Parameter
    TlsEngine engine;

    enum ClientCertificate {
        NONE(null),
        VALID(TlsFixtures.CLIENT),
        SELF_SIGNED(Certificates.selfSigned("self-signed client", Duration.ofDays(1), List.of())),
        UNKNOWN_CA(Certificates.authority("some other CA", Duration.ofDays(1))
                .issueClient("stranger", Duration.ofDays(1))),
        EXPIRED(TlsFixtures.CA.issueClient(
                "expired client",
                Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(1)))),
        NOT_YET_VALID(TlsFixtures.CA.issueClient(
                "future client",
                Instant.now().plus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(10)))),
        /** Signed by the trusted CA, but for servers only (extended key usage serverAuth). */
        NOT_FOR_CLIENTS(TlsFixtures.CA.issueServer("server-only client", Duration.ofDays(1), List.of()));

        final KeyMaterial key;

        ClientCertificate(KeyMaterial key) {
            this.key = key;
        }
    }

    @TempDir
    static Path dir;

    static TlsTestServer required;
    static TlsTestServer optional;

    @BeforeParameterizedClassInvocation
    static void startServers(TlsEngine engine) throws Exception {
        List<java.security.cert.X509Certificate> ca = List.of(TlsFixtures.CA.certificate());
        required = TlsTestServer.start(engine, b -> b.caCertificates(ca));
        optional = TlsTestServer.start(engine, b -> b.caCertificates(ca).clientAuth(ClientAuth.OPTIONAL));
    }

    @AfterParameterizedClassInvocation
    static void stopServers() {
        if (required != null) {
            required.close();
        }
        if (optional != null) {
            optional.close();
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
                assertThatThrownBy(() -> TlsFixtures.get(client, port, "/tls")).isInstanceOf(IOException.class);
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
            assertThatThrownBy(() -> TlsFixtures.fetch(context, port, "/tls", TlsFixtures.protocols(protocol)))
                    .isInstanceOf(IOException.class);
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

        assertThat(curl.exitCode()).as(curl.output()).isNotZero();
        assertThat(curl.output()).doesNotContain("protocol=");
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

        assertThat(curl.exitCode()).as(curl.output()).isNotZero();
        assertThat(curl.output()).doesNotContain("protocol=");
    }

    private static ExternalProcess.Result curl(ClientAuth mode, KeyMaterial key) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "curl",
                "-sS",
                "--max-time",
                "20",
                "--cacert",
                TlsFixtures.writeCa(dir).toString()));
        if (key != null) {
            Path[] files = TlsFixtures.writePem(key, dir, "curl-client");
            command.addAll(List.of("--cert", files[0].toString(), "--key", files[1].toString()));
        }
        command.add("https://localhost:" + server(mode).port() + "/tls");
        return ExternalProcess.run(Duration.ofSeconds(30), null, command);
    }

    private static TlsTestServer server(ClientAuth mode) {
        return mode == ClientAuth.REQUIRED ? required : optional;
    }

    private static String expectedPeer(ClientCertificate certificate) {
        return certificate == ClientCertificate.VALID ? "peer=CN=test client,CN=httpsd test CA" : "peer=-";
    }
}
