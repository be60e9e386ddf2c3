package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.SuiteRecord;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sessionTickets}: with true a reconnecting client resumes its session, with false it gets
 * a full handshake; in both cases every client, OpenSSL's included, completes its handshakes. The
 * server counts full handshakes: JSSE asks the certificate selector in full handshakes only;
 * BoringSSL asks it in every handshake (as mbedTLS asks ESP's {@code cert_select_cb}), so there
 * the engine is asked whether the session was resumed.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class SessionTicketsTest {

    /** The {@code send-and-certificates} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("send-and-certificates");

    @Parameter
    TlsEngine engine;

    private static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @TempDir
    Path dir;

    private final AtomicInteger fullHandshakes = new AtomicInteger();

    @ParameterizedTest(name = "{0} sessionTickets({1})")
    @CsvSource({"-tls1_2, true", "-tls1_3, true", "-tls1_2, false", "-tls1_3, false"})
    void opensslReconnectResumesOnlyWithSessionTickets(String version, boolean tickets) throws Exception {
        Path session = dir.resolve("session.pem");
        try (TlsTestServer server = start(tickets)) {
            String first = OpenSsl.exchange(
                    server.port(), REQUEST, "protocol=TLSv1.", version, "-sess_out", session.toString());
            int afterFirst = fullHandshakes.get();
            assertThat(first).contains("New, TLSv1.").contains("protocol=TLSv1.");
            if (!tickets && !Files.exists(session)) {
                // TLS 1.3 without a ticket leaves OpenSSL nothing to resume with
                assertThat(first).doesNotContain("TLS session ticket");
                return;
            }
            String second = OpenSsl.exchange(
                    server.port(), REQUEST, "protocol=TLSv1.", version, "-sess_in", session.toString());

            assertThat(second).contains("protocol=TLSv1.");
            if (tickets) {
                assertThat(second).contains("Reused, TLSv1.");
                assertThat(fullHandshakes).as("no second full handshake").hasValue(afterFirst);
            } else {
                assertThat(second).contains("New, TLSv1.").doesNotContain("Reused");
                assertThat(fullHandshakes.get()).as("a second full handshake").isGreaterThan(afterFirst);
            }
        }
    }

    @ParameterizedTest(name = "{0} sessionTickets({1})")
    @CsvSource({"TLSv1.2, true", "TLSv1.3, true", "TLSv1.2, false", "TLSv1.3, false"})
    void jsseReconnectResumesOnlyWithSessionTickets(String protocol, boolean tickets) throws Exception {
        SSLContext client = TlsFixtures.clientContext(null);
        try (TlsTestServer server = start(tickets)) {
            for (int i = 0; i < 3; i++) {
                int before = fullHandshakes.get();
                var response = TlsFixtures.fetch(client, server.port(), "/tls", TlsFixtures.protocols(protocol));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).contains("protocol=" + protocol);
                boolean full = fullHandshakes.get() > before;
                assertThat(full).as("connection %d made a full handshake", i).isEqualTo(i == 0 || !tickets);
            }
        }
    }

    /**
     * The switch is per server although JSSE's ticket settings are JVM-wide system properties
     * (see HttpsServer's javadoc): two servers running side by side keep their own behaviour.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void twoServersInOneJvmKeepTheirOwnSessionTicketSetting(String protocol) throws Exception {
        AtomicInteger resumingFull = new AtomicInteger();
        AtomicInteger refusingFull = new AtomicInteger();
        SSLContext client = TlsFixtures.clientContext(null);
        try (TlsTestServer resuming = start(true, resumingFull);
                TlsTestServer refusing = start(false, refusingFull)) {
            for (int i = 0; i < 3; i++) {
                for (TlsTestServer server : List.of(resuming, refusing)) {
                    var response = TlsFixtures.fetch(client, server.port(), "/tls", TlsFixtures.protocols(protocol));
                    assertThat(response.bodyText()).contains("protocol=" + protocol);
                }
            }
        }

        assertThat(resumingFull).as("full handshakes with sessionTickets(true)").hasValue(1);
        assertThat(refusingFull)
                .as("full handshakes with sessionTickets(false)")
                .hasValue(3);
    }

    private TlsTestServer start(boolean tickets) throws Exception {
        return start(tickets, fullHandshakes);
    }

    private TlsTestServer start(boolean tickets, AtomicInteger fullHandshakes) throws Exception {
        if (engine == TlsEngine.OPENSSL) {
            return TlsTestServer.start(
                    engine,
                    b -> b.sessionTickets(tickets).sessionCallback(event -> {
                        if (event.state() == TlsSessionEvent.State.CREATE && !resumed(event.tls())) {
                            fullHandshakes.incrementAndGet();
                        }
                    }));
        }
        return TlsTestServer.start(
                engine,
                b -> b.sessionTickets(tickets).certificateSelector(serverName -> {
                    fullHandshakes.incrementAndGet();
                    return TlsFixtures.SERVER;
                }));
    }

    private static boolean resumed(TlsSession tls) {
        return SSL.isSessionReused(
                ((ReferenceCountedOpenSslEngine) tls.channel().engine()).sslPointer());
    }
}
