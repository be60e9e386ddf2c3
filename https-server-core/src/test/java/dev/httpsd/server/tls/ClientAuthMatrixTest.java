package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.httpsd.server.Await;
import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.RawClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
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
    static EventRecorder requiredEvents;
    static EventRecorder optionalEvents;

    private final List<AfterCaseCheck> checks = new ArrayList<>();

    @BeforeParameterizedClassInvocation
    static void startServers(TlsEngine engine) throws Exception {
        List<java.security.cert.X509Certificate> ca = List.of(TlsFixtures.CA.certificate());
        requiredEvents = new EventRecorder();
        optionalEvents = new EventRecorder();
        required = TlsTestServer.start(engine, b -> b.caCertificates(ca).httpd(h -> h.eventListener(requiredEvents)));
        optional = TlsTestServer.start(
                engine,
                b -> b.caCertificates(ca).clientAuth(ClientAuth.OPTIONAL).httpd(h -> h.eventListener(optionalEvents)));
        // a handshake on each before any baseline: the TLS timer threads start with the first one
        SSLContext valid = TlsFixtures.clientContext(TlsFixtures.CLIENT);
        for (TlsTestServer server : List.of(required, optional)) {
            assertThat(TlsFixtures.fetch(valid, server.port(), "/tls", p -> {}).status())
                    .isEqualTo(200);
        }
    }

    /** A bystander with a valid certificate on each server, before every case. */
    @BeforeEach
    void connectBystanders() throws Exception {
        SSLContext valid = TlsFixtures.clientContext(TlsFixtures.CLIENT);
        checks.add(AfterCaseCheck.before(required.https(), valid));
        checks.add(AfterCaseCheck.before(optional.https(), valid));
    }

    /** After every case, accepted or refused, neither server's other clients noticed anything. */
    @AfterEach
    void nobodyElseNoticed() throws Exception {
        try {
            for (AfterCaseCheck check : checks) {
                check.assertNobodyNoticed();
            }
        } finally {
            for (AfterCaseCheck check : checks) {
                check.close();
            }
        }
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
                .contains(engine == TlsEngine.JDK ? "alert certificate unknown" : "alert internal error")
                .doesNotContain("protocol=");
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

    /**
     * A refusal is the TLS alert this engine sends for this certificate, seen by the client, and one
     * HTTPS ERROR of an SSL exception posted by the server: a crash, a timeout or a plain close
     * fails. In TLS 1.2 the client may still be writing its last flight when the alert and the
     * close arrive; its write then fails with a broken pipe or a reset, and the server's event
     * alone names the refusal.
     */
    private void assertRefused(ThrowingCallable call, ClientAuth mode, String protocol, ClientCertificate certificate)
            throws Exception {
        EventRecorder events = mode == ClientAuth.REQUIRED ? requiredEvents : optionalEvents;
        int before = events.https(HttpsServerEvent.Error.class).size();

        Throwable thrown = catchThrowable(call);

        List<String> alerts = expectedAlerts(protocol, certificate);
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        boolean alertSeen = chain.stream()
                .anyMatch(t -> t instanceof SSLException
                        && alerts.stream()
                                .anyMatch(a -> ("(" + a + ") Received fatal alert: " + a).equals(t.getMessage())));
        boolean writeCutByTheClose = chain.stream()
                .anyMatch(t -> t instanceof IOException
                        && ("Broken pipe".equals(t.getMessage()) || "Connection reset".equals(t.getMessage())));
        assertThat(alertSeen || writeCutByTheClose)
                .as("%s refused with %s (or the client's write cut by the close), not %s", protocol, alerts, chain)
                .isTrue();
        Await.until(
                "the server's HTTPS ERROR",
                () -> events.https(HttpsServerEvent.Error.class).size() > before);
        List<HttpsServerEvent.Error> errors = events.https(HttpsServerEvent.Error.class);
        // HttpClient tries a refused GET a second time on a new connection
        String reason = serverReason(protocol, certificate);
        assertThat(errors.subList(before, errors.size()))
                .as("the refusal reported by the server")
                .hasSizeBetween(1, 2)
                .allSatisfy(error -> {
                    assertThat(error.error().exceptionType()).isEqualTo("SSLHandshakeException");
                    assertThat(error.error().message()).matches(reason);
                });
    }

    /**
     * The server's HTTPS ERROR message, as a pattern: JSSE names the alert and the reason; the
     * OpenSSL engine names BoringSSL's reason for a missing certificate, and reports a certificate
     * its trust manager refused with Netty's generic message.
     */
    private String serverReason(String protocol, ClientCertificate certificate) {
        if (engine == TlsEngine.OPENSSL) {
            return certificate == ClientCertificate.NONE
                    ? "error:[0-9a-f]{8}:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE"
                    : Pattern.quote("General OpenSslEngine problem");
        }
        return Pattern.quote(
                        switch (certificate) {
                            case NONE ->
                                (protocol.equals("TLSv1.3") ? "(certificate_required)" : "(handshake_failure)")
                                        + " Empty client certificate chain";
                            case EXPIRED, NOT_YET_VALID ->
                                "(certificate_unknown) PKIX path validation failed: "
                                        + "java.security.cert.CertPathValidatorException: validity check failed";
                            case SELF_SIGNED, UNKNOWN_CA -> "(certificate_unknown) PKIX path building failed: ";
                            case NOT_FOR_CLIENTS ->
                                "(certificate_unknown) Extended key usage does not permit use for TLS client"
                                        + " authentication";
                            case VALID -> throw new IllegalArgumentException("a valid certificate is not refused");
                        })
                + ".*";
    }

    /** The alert each engine sends: JSSE's, and BoringSSL's verify-callback and expiry alerts. */
    private List<String> expectedAlerts(String protocol, ClientCertificate certificate) {
        if (certificate == ClientCertificate.NONE) {
            // only REQUIRED refuses no certificate; TLS 1.3 has an alert for it
            return protocol.equals("TLSv1.3")
                    ? List.of("certificate_required")
                    : engine == TlsEngine.JDK
                            ? List.of("bad_certificate", "handshake_failure")
                            : List.of("handshake_failure");
        }
        if (engine == TlsEngine.JDK) {
            return List.of("certificate_unknown");
        }
        return switch (certificate) {
            case EXPIRED, NOT_YET_VALID -> List.of("certificate_expired");
            default -> List.of("internal_error");
        };
    }

    private static TlsTestServer server(ClientAuth mode) {
        return mode == ClientAuth.REQUIRED ? required : optional;
    }

    private static String expectedPeer(ClientCertificate certificate) {
        return certificate == ClientCertificate.VALID ? "peer=CN=test client,CN=httpsd test CA" : "peer=-";
    }
}
