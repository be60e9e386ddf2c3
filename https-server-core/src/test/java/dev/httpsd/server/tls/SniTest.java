package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SNI: the certificate is chosen by the name the client asks for (exact, then {@code
 * *.parent}, then the default), and by the {@link CertificateSelector} ({@code cert_select_cb})
 * before that. Proven with JSSE clients and {@code openssl s_client -servername -showcerts}.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class SniTest {

    @Parameter
    TlsEngine engine;

    private static final KeyMaterial A = issue("a.example.com");
    private static final KeyMaterial WILDCARD = issue("*.example.com");
    private static final KeyMaterial API = issue("api.example.com");
    private static final KeyMaterial SELECTED = issue("selected.example.org");

    @ParameterizedTest(name = "SNI {0} gets {1}")
    @CsvSource({
        "a.example.com, CN=a.example.com",
        "A.Example.COM, CN=a.example.com",
        "api.example.com, CN=api.example.com",
        "b.example.com, CN=*.example.com",
        "deep.b.example.com, CN=localhost",
        "example.com, CN=localhost",
        "other.org, CN=localhost"
    })
    void jsseClientsGetTheCertificateForTheNameTheyAskFor(String serverName, String subject) throws Exception {
        try (TlsTestServer server = sniServer()) {
            assertThat(TlsFixtures.presentedSubject(fresh(), server.port(), TlsFixtures.serverName(serverName)))
                    .isEqualTo(subject);
            assertThat(TlsFixtures.fetch(fresh(), server.port(), "/tls", TlsFixtures.serverName(serverName))
                            .bodyText())
                    .contains("sni=" + serverName.toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void aClientSendingNoServerNameGetsTheDefault() throws Exception {
        try (TlsTestServer server = sniServer()) {
            // JSSE sends no SNI for a dotless host such as localhost
            assertThat(TlsFixtures.presentedSubject(TlsFixtures.clientContext(null), server.port(), p -> {}))
                    .isEqualTo("CN=localhost");
            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/tls", p -> {})
                            .bodyText())
                    .contains("sni=-");
        }
    }

    @ParameterizedTest(name = "openssl -servername {0} gets {1}")
    @CsvSource({
        "a.example.com, CN = a.example.com",
        "b.example.com, CN = *.example.com",
        "localhost, CN = localhost",
        "unknown.test, CN = localhost"
    })
    void opensslShowsTheCertificateForTheNameItAsksFor(String serverName, String subject) throws Exception {
        try (TlsTestServer server = sniServer()) {
            ExternalProcess.Result result =
                    OpenSsl.sClient(server.port(), null, "-servername", serverName, "-showcerts", "-tls1_3");

            assertThat(result.output()).contains("0 s:" + subject + "\n");
        }
    }

    @Test
    void theCertificateSelectorDecidesFirstAndSeesTheRequestedName() throws Exception {
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        try (TlsTestServer server = TlsTestServer.start(
                engine,
                b -> b.sniKey("a.example.com", A).certificateSelector(name -> {
                    asked.add(String.valueOf(name));
                    return name != null && name.endsWith(".example.org") ? SELECTED : null;
                }))) {
            assertThat(TlsFixtures.presentedSubject(fresh(), server.port(), TlsFixtures.serverName("x.example.org")))
                    .isEqualTo("CN=selected.example.org");
            assertThat(TlsFixtures.presentedSubject(fresh(), server.port(), TlsFixtures.serverName("a.example.com")))
                    .as("the selector returned null: the SNI map decides")
                    .isEqualTo("CN=a.example.com");
            assertThat(TlsFixtures.presentedSubject(fresh(), server.port(), p -> {}))
                    .as("no SNI: the default")
                    .isEqualTo("CN=localhost");
            assertThat(asked).contains("x.example.org", "a.example.com", "null");
            assertThat(OpenSsl.sClient(server.port(), null, "-servername", "y.example.org", "-showcerts")
                            .output())
                    .contains("0 s:CN = selected.example.org\n");
        }
    }

    @Test
    void aSelectorAloneIsEnoughMaterial() throws Exception {
        HttpsServerConfig config = HttpsServerConfig.builder()
                .engine(engine)
                .portSecure(0)
                .certificateSelector(name -> "a.example.com".equals(name) ? A : null)
                .build();
        HttpsServer https = HttpsServer.start(config);
        try {
            assertThat(TlsFixtures.presentedSubject(fresh(), https.port(), TlsFixtures.serverName("a.example.com")))
                    .isEqualTo("CN=a.example.com");
            assertThatThrownBy(() -> TlsFixtures.presentedSubject(
                            fresh(), https.port(), TlsFixtures.serverName("b.example.com")))
                    .as("nothing selected and no default: ESP aborts the handshake too")
                    .isInstanceOf(IOException.class);
        } finally {
            https.stop();
        }
    }

    @Test
    void sniKeysAloneWithoutADefaultServeTheirNamesOnly() throws Exception {
        HttpsServer https = HttpsServer.start(HttpsServerConfig.builder()
                .engine(engine)
                .portSecure(0)
                .sniKey("*.example.com", WILDCARD)
                .build());
        try {
            assertThat(TlsFixtures.presentedSubject(fresh(), https.port(), TlsFixtures.serverName("z.example.com")))
                    .isEqualTo("CN=*.example.com");
            assertThatThrownBy(() -> TlsFixtures.presentedSubject(fresh(), https.port(), p -> {}))
                    .isInstanceOf(IOException.class);
        } finally {
            https.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-tls1_2", "-tls1_3"})
    void aSessionIsNotResumedUnderAnotherServerName(String version) throws Exception {
        assumeTrue(engine == TlsEngine.JDK, "BoringSSL does not bind sessions to a server name: see the next test");
        Path session = Files.createTempFile("sni-session", ".pem");
        try (TlsTestServer server = sniServer()) {
            String first = exchange(server.port(), version, "-servername", "a.example.com", "-sess_out", session);
            String same = exchange(server.port(), version, "-servername", "a.example.com", "-sess_in", session);
            String other = exchange(server.port(), version, "-servername", "api.example.com", "-sess_in", session);

            assertThat(first).contains("New, TLSv1.").contains("sni=a.example.com");
            assertThat(same).as("same name: resumed").contains("Reused, TLSv1.").contains("sni=a.example.com");
            assertThat(other)
                    .as("another name: a full handshake with that name's certificate")
                    .contains("New, TLSv1.")
                    .contains("0 s:CN = api.example.com\n")
                    .contains("sni=api.example.com");
        } finally {
            Files.deleteIfExists(session);
        }
    }

    /**
     * BoringSSL leaves to the client the check that a session is resumed only for the name it was
     * made for (RFC 8446 §4.6.1 puts it there for TLS 1.3): a client may resume under another name
     * of the same server. The handler still sees the name asked for, and with session tickets off
     * there is nothing to resume.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"-tls1_2", "-tls1_3"})
    void withOpenSslASessionMadeForOneNameMayBeResumedUnderAnotherUnlessTicketsAreOff(String version) throws Exception {
        assumeTrue(engine == TlsEngine.OPENSSL, "JSSE refuses: see the previous test");
        Path session = Files.createTempFile("sni-session", ".pem");
        try (TlsTestServer server = sniServer()) {
            exchange(server.port(), version, "-servername", "a.example.com", "-sess_out", session);
            String other = exchange(server.port(), version, "-servername", "api.example.com", "-sess_in", session);

            assertThat(other).contains("Reused, TLSv1.").contains("sni=api.example.com");
        }
        try (TlsTestServer server = TlsTestServer.start(
                engine, b -> b.sessionTickets(false).sniKey("a.example.com", A).sniKey("api.example.com", API))) {
            Files.deleteIfExists(session);
            exchange(server.port(), version, "-servername", "a.example.com", "-sess_out", session);
            // TLS 1.3 without a ticket leaves OpenSSL no session to write
            String other = Files.exists(session)
                    ? exchange(server.port(), version, "-servername", "api.example.com", "-sess_in", session)
                    : exchange(server.port(), version, "-servername", "api.example.com", "-sess_out", session);

            assertThat(other)
                    .contains("New, TLSv1.")
                    .contains("0 s:CN = api.example.com\n")
                    .contains("sni=api.example.com");
        } finally {
            Files.deleteIfExists(session);
        }
    }

    private static String exchange(int port, String version, String sni, String name, String sessionFlag, Path file)
            throws Exception {
        return OpenSsl.exchange(
                port,
                "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "sni=",
                version,
                sni,
                name,
                sessionFlag,
                file.toString());
    }

    /** A client with an empty session cache, so every connection makes a full handshake. */
    private static SSLContext fresh() throws Exception {
        return TlsFixtures.clientContext(null);
    }

    private TlsTestServer sniServer() throws IOException {
        return TlsTestServer.start(
                engine,
                b -> b.sniKey("a.example.com", A)
                        .sniKey("*.example.com", WILDCARD)
                        .sniKey("API.Example.COM", API));
    }

    private static KeyMaterial issue(String name) {
        return TlsFixtures.CA.issueServer(name, Duration.ofDays(2), List.of(name));
    }
}
