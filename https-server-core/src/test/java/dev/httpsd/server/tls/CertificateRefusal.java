package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.httpsd.server.Await;
import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpServerEvent;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * What a refused client certificate looks like from both ends, per engine and TLS version: the
 * alert the client sees, and the HTTPS ERROR the server posts. Shared by the mutual-TLS suites
 * (HTTP/1.1 in {@code ClientAuthMatrixTest}, h2 offered in {@code ClientAuthHttp2Test}).
 */
final class CertificateRefusal {

    /** The client certificates a mutual-TLS server meets. */
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

        /** The certificates that do not verify: refused whatever the mode. */
        static List<ClientCertificate> notVerifying() {
            return List.of(SELF_SIGNED, UNKNOWN_CA, EXPIRED, NOT_YET_VALID, NOT_FOR_CLIENTS);
        }
    }

    private CertificateRefusal() {}

    /**
     * Runs {@code call} and asserts a refusal: the TLS alert this engine sends for this certificate,
     * seen by the client, and one HTTPS ERROR of an SSL exception naming the reason posted by the
     * server (two with {@code HttpClient}, which tries a refused GET once more on a new
     * connection); a crash, a timeout, a reset or a plain close fails.
     *
     * <p>With {@code http2ClosedChannel}, a bare {@link ClosedChannelException} also passes: the
     * JDK's {@code HttpClient}, once it has set up an HTTP/2 connection, now and then reports the
     * alert that ends it as that (about 1 refusal in 100 in TLS 1.3, with the alert and then the
     * server's FIN on the wire, no reset; over HTTP/1.1 never), and the server's event alone then
     * names the refusal.
     */
    static void assertRefused(
            ThrowingCallable call,
            EventRecorder events,
            TlsEngine engine,
            String protocol,
            ClientCertificate certificate,
            boolean http2ClosedChannel)
            throws InterruptedException {
        int before = events.https(HttpsServerEvent.Error.class).size();

        Throwable thrown = catchThrowable(call);

        List<String> alerts = expectedAlerts(engine, protocol, certificate);
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        boolean alertSeen = chain.stream()
                .anyMatch(t -> t instanceof SSLException
                        && alerts.stream()
                                .anyMatch(a -> ("(" + a + ") Received fatal alert: " + a).equals(t.getMessage())));
        boolean closedChannel = http2ClosedChannel
                && chain.getLast() instanceof ClosedChannelException
                && chain.stream().allMatch(t -> t.getMessage() == null);
        assertThat(alertSeen || closedChannel)
                .as(
                        "%s refused with %s%s, not %s",
                        protocol,
                        alerts,
                        http2ClosedChannel ? " (or HttpClient's HTTP/2 ClosedChannelException)" : "",
                        chain)
                .isTrue();
        assertServerRefused(events, before, engine, protocol, certificate);
    }

    /**
     * The server's side of a refusal: since {@code before} HTTPS ERRORs, one or two more (a client
     * may try once more), each an {@code SSLHandshakeException} naming the reason, each of a
     * session that had no other event but its HTTP DISCONNECTED.
     */
    static void assertServerRefused(
            EventRecorder events, int before, TlsEngine engine, String protocol, ClientCertificate certificate)
            throws InterruptedException {
        Await.until(
                "the server's HTTPS ERROR",
                () -> events.https(HttpsServerEvent.Error.class).size() > before);
        List<HttpsServerEvent.Error> errors = events.https(HttpsServerEvent.Error.class);
        String reason = serverReason(engine, protocol, certificate);
        assertThat(errors.subList(before, errors.size()))
                .as("the refusal reported by the server")
                .hasSizeBetween(1, 2)
                .allSatisfy(error -> {
                    assertThat(error.error().exceptionType()).isEqualTo("SSLHandshakeException");
                    assertThat(error.error().message()).matches(reason);
                });
        for (HttpsServerEvent.Error error : errors.subList(before, errors.size())) {
            // never announced (no ON_CONNECTED of either family), so no HTTPS DISCONNECTED either
            events.awaitEvent(HttpServerEvent.Id.DISCONNECTED, error.sessionId());
            assertThat(events.labels(error.sessionId()))
                    .as("the refused session's events")
                    .containsExactly("HTTPS ERROR", "HTTP DISCONNECTED");
        }
    }

    /**
     * The server's HTTPS ERROR message, as a pattern: the reason the certificate was refused, as
     * the trust manager gave it (both engines verify through one); JSSE puts the alert it sent in
     * front. For a missing certificate, JSSE's alert and reason, and BoringSSL's reason.
     */
    static String serverReason(TlsEngine engine, String protocol, ClientCertificate certificate) {
        if (certificate == ClientCertificate.NONE) {
            return engine == TlsEngine.OPENSSL
                    ? "error:[0-9a-f]{8}:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE"
                    : Pattern.quote((protocol.equals("TLSv1.3") ? "(certificate_required)" : "(handshake_failure)")
                            + " Empty client certificate chain");
        }
        String reason = switch (certificate) {
            case EXPIRED, NOT_YET_VALID ->
                "PKIX path validation failed: "
                        + "java.security.cert.CertPathValidatorException: validity check failed";
            case SELF_SIGNED, UNKNOWN_CA ->
                "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException:"
                        + " unable to find valid certification path to requested target";
            case NOT_FOR_CLIENTS -> "Extended key usage does not permit use for TLS client authentication";
            case NONE, VALID -> throw new IllegalArgumentException(certificate + " has no refusal reason");
        };
        return Pattern.quote((engine == TlsEngine.JDK ? "(certificate_unknown) " : "") + reason);
    }

    /**
     * The alert each engine sends: JSSE's ({@code certificate_unknown} for every refused
     * certificate), and BoringSSL's for the X.509 error the refusal stands for.
     */
    static List<String> expectedAlerts(TlsEngine engine, String protocol, ClientCertificate certificate) {
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
        // BoringSSL's alert for the X.509 error Netty and OpenSslClientTrust report
        return switch (certificate) {
            case EXPIRED, NOT_YET_VALID -> List.of("certificate_expired");
            case SELF_SIGNED, UNKNOWN_CA -> List.of("unknown_ca");
            case NOT_FOR_CLIENTS -> List.of("unsupported_certificate");
            case NONE, VALID -> throw new IllegalArgumentException(certificate + " is not refused for its content");
        };
    }

    /** curl's text for {@link #expectedAlerts}'s alert ({@code certificate_unknown}: "alert certificate unknown"). */
    static String curlAlert(TlsEngine engine, String protocol, ClientCertificate certificate) {
        return "alert "
                + expectedAlerts(engine, protocol, certificate).getLast().replace('_', ' ');
    }

    /**
     * {@code curl -sS --cacert ... [--cert ... --key ...] <extra> https://localhost:port/tls}, at
     * most 20 s.
     */
    static ExternalProcess.Result curl(int port, Path dir, KeyMaterial key, String... extra) throws Exception {
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
        command.addAll(List.of(extra));
        command.add("https://localhost:" + port + "/tls");
        return ExternalProcess.run(Duration.ofSeconds(30), null, command);
    }
}
