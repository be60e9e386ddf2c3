package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.tls.TlsMaterialException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An expired or not-yet-valid server certificate is a loud warning by default and a refusal to
 * start with {@code failOnExpiredCertificate(true)}; CA certificates and client-auth modes are
 * checked when the configuration is built.
 */
class CertificateValidityTest {

    private static final Instant NOW = Instant.now();
    private static final KeyMaterial EXPIRED = TlsFixtures.CA.issueServer(
            "expired.localhost", NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1)), List.of("localhost"));
    private static final KeyMaterial NOT_YET_VALID = TlsFixtures.CA.issueServer(
            "future.localhost", NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)), List.of("localhost"));

    private final Logger log = Logger.getLogger(HttpsServer.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        log.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        log.removeHandler(capture);
    }

    @Test
    void anExpiredCertificateStartsWithALoudWarningByDefault() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.serverKey(EXPIRED))) {
            assertThat(server.port()).isPositive();
            assertThat(warnings())
                    .anySatisfy(message -> assertThat(message)
                            .contains("expired")
                            .contains("CN=expired.localhost")
                            .contains(EXPIRED.source()));
            // and clients do reject it, which is what the warning is about
            assertThatThrownBy(() -> TlsFixtures.connect(TlsFixtures.clientContext(null), server.port())
                            .close())
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aNotYetValidCertificateStartsWithALoudWarningByDefault() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(b -> b.serverKey(NOT_YET_VALID))) {
            assertThat(server.port()).isPositive();
            assertThat(warnings())
                    .anySatisfy(message ->
                            assertThat(message).contains("not valid before").contains("CN=future.localhost"));
        }
    }

    @Test
    void aValidCertificateLogsNoWarning() throws Exception {
        try (TlsTestServer server = TlsTestServer.start()) {
            try (SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port())) {
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
        }
        assertThat(warnings()).isEmpty();
    }

    @Test
    void failOnExpiredCertificateRefusesToStartWithAnExpiredCertificate() {
        assertThatThrownBy(() -> TlsTestServer.start(b -> b.serverKey(EXPIRED).failOnExpiredCertificate(true))
                        .close())
                .isInstanceOfSatisfying(TlsMaterialException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
                    assertThat(e.getMessage()).contains("CN=expired.localhost").contains(EXPIRED.source());
                });
    }

    @Test
    void failOnExpiredCertificateRefusesToStartWithANotYetValidCertificate() {
        assertThatThrownBy(() -> TlsTestServer.start(
                                b -> b.serverKey(NOT_YET_VALID).failOnExpiredCertificate(true))
                        .close())
                .isInstanceOfSatisfying(
                        TlsMaterialException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_YET_VALID));
    }

    @Test
    void failOnExpiredCertificateAlsoChecksSniCertificates() {
        assertThatThrownBy(() -> TlsTestServer.start(
                                b -> b.sniKey("old.example.com", EXPIRED).failOnExpiredCertificate(true))
                        .close())
                .isInstanceOfSatisfying(
                        TlsMaterialException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    }

    @Test
    void caCertificatesMakeClientCertificatesRequired() {
        HttpsServerConfig config = HttpsServerConfig.builder()
                .serverKey(TlsFixtures.SERVER)
                .caCertificates(List.of(TlsFixtures.CA.certificate()))
                .build();

        assertThat(config.clientAuth()).isEqualTo(ClientAuth.REQUIRED);
        assertThat(HttpsServerConfig.builder()
                        .serverKey(TlsFixtures.SERVER)
                        .build()
                        .clientAuth())
                .isEqualTo(ClientAuth.NONE);
    }

    @Test
    void caCertificatesCanComeFromPemText() {
        HttpsServerConfig config = HttpsServerConfig.builder()
                .serverKey(TlsFixtures.SERVER)
                .caCertificatesPem(Certificates.toPem(List.of(TlsFixtures.CA.certificate())))
                .build();

        assertThat(config.caCertificates()).containsExactly(TlsFixtures.CA.certificate());
        assertThat(config.clientAuth()).isEqualTo(ClientAuth.REQUIRED);
    }

    @Test
    void clientAuthenticationWithoutCaCertificatesIsRefusedAtBuild() {
        for (ClientAuth mode : List.of(ClientAuth.REQUIRED, ClientAuth.OPTIONAL)) {
            assertThatThrownBy(() -> HttpsServerConfig.builder()
                            .serverKey(TlsFixtures.SERVER)
                            .clientAuth(mode)
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("clientAuth")
                    .hasMessageContaining("caCertificates");
        }
    }

    @Test
    void aSecureServerWithoutAnyCertificateIsRefusedAtBuild() {
        assertThatThrownBy(() -> HttpsServerConfig.builder().build())
                .isInstanceOfSatisfying(
                        TlsMaterialException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING))
                .hasMessageContaining("no server certificate");
    }

    private List<String> warnings() {
        return records.stream()
                .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage)
                .toList();
    }
}
