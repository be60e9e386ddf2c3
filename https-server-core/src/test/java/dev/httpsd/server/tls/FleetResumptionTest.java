package dev.httpsd.server.tls;

import static dev.httpsd.server.tls.SessionTicketKeysTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session resumption across the instances of a fleet, with the OpenSSL engine: servers that share
 * {@link SessionTicketKeys} resume each other's sessions; after a rotation (a new key encrypting,
 * the old one kept to decrypt) old tickets still resume, once the old key is dropped they no
 * longer do; servers with different keys never resume each other's. Clients: {@code openssl
 * s_client -sess_out} on one server and {@code -sess_in} on another, and a JSSE client engine
 * whose session cache entry ({@code localhost:443}) is offered to every server.
 */
class FleetResumptionTest {

    private static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final SessionTicketKeys K1 = SessionTicketKeys.of(key(1));
    private static final SessionTicketKeys K3 = SessionTicketKeys.of(key(3));

    @TempDir
    Path dir;

    @BeforeAll
    static void needsBoringSsl() {
        TlsTestServer.assumeOpenSslEngine();
    }

    /** Per handshake, whether it resumed a session: every server of a test reports here. */
    private final Queue<Boolean> resumptions = new ConcurrentLinkedQueue<>();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void aTicketFromOneInstanceResumesOnAnotherSharingTheKeys(String version) throws Exception {
        Path session = dir.resolve("session.pem");
        try (TlsTestServer a = start(K1);
                TlsTestServer b = start(K1)) {
            assertThat(exchange(a, version, "-sess_out", session)).contains("New, TLSv1.");

            String onB = exchange(b, version, "-sess_in", session);

            assertThat(onB).contains("Reused, TLSv1." + version.charAt(version.length() - 1));
        }
    }

    @Test
    void afterARotationOldTicketsResumeUntilTheOldKeyIsDropped() throws Exception {
        Path fromA = dir.resolve("from-a.pem");
        Path fromB = dir.resolve("from-b.pem");
        try (TlsTestServer a = start(K1);
                TlsTestServer b = start(K1)) {
            exchange(a, "-tls1_3", "-sess_out", fromA);

            // a new key encrypts on b; the old one still decrypts there
            b.https().reloadTicketKeys(SessionTicketKeys.of(key(2), key(1)));
            assertThat(exchange(b, "-tls1_3", "-sess_in", fromA)).contains("Reused, TLSv1.3");
            // b's tickets are now under the new key, which a does not know yet
            exchange(b, "-tls1_3", "-sess_out", fromB);
            assertThat(exchange(a, "-tls1_3", "-sess_in", fromB)).contains("New, TLSv1.3");

            // the old key dropped: its tickets no longer resume
            b.https().reloadTicketKeys(SessionTicketKeys.of(key(2)));
            assertThat(exchange(b, "-tls1_3", "-sess_in", fromA))
                    .contains("New, TLSv1.3")
                    .doesNotContain("Reused");
            assertThat(b.https().sessionTicketKeys()).hasValue(SessionTicketKeys.of(key(2)));
        }
    }

    @Test
    void instancesWithDifferentKeysDoNotResumeEachOthersTickets() throws Exception {
        Path session = dir.resolve("session.pem");
        try (TlsTestServer a = start(K1);
                TlsTestServer c = start(K3)) {
            exchange(a, "-tls1_3", "-sess_out", session);

            assertThat(exchange(c, "-tls1_3", "-sess_in", session))
                    .contains("New, TLSv1.3")
                    .doesNotContain("Reused");
        }
    }

    @Test
    void keysSurviveACertificateReload() throws Exception {
        Path session = dir.resolve("session.pem");
        try (TlsTestServer a = start(K1);
                TlsTestServer b = start(K1)) {
            exchange(a, "-tls1_3", "-sess_out", session);

            b.https()
                    .reload(TlsFixtures.CA.issueServer(
                            "reloaded", java.time.Duration.ofDays(2), Certificates.DEVELOPMENT_NAMES));

            assertThat(exchange(b, "-tls1_3", "-sess_in", session)).contains("Reused, TLSv1.3");
            assertThat(b.https().sessionTicketKeys()).hasValue(K1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aJsseClientResumesOnAnotherInstance(String protocol) throws Exception {
        SSLContext client = TlsFixtures.clientContext(null);
        try (TlsTestServer a = start(K1);
                TlsTestServer b = start(K1);
                TlsTestServer c = start(K3)) {
            fetch(client, a, protocol);
            assertThat(resumptions.poll()).as("first handshake, on a").isFalse();

            fetch(client, b, protocol);
            assertThat(resumptions.poll()).as("on b, sharing a's keys").isTrue();

            fetch(client, c, protocol);
            assertThat(resumptions.poll()).as("on c, with other keys").isFalse();
        }
    }

    private TlsTestServer start(SessionTicketKeys keys) throws Exception {
        return TlsTestServer.start(
                TlsEngine.OPENSSL,
                b -> b.sessionTicketKeys(keys).sessionCallback(event -> {
                    if (event.state() == TlsSessionEvent.State.CREATE) {
                        resumptions.add(SSL.isSessionReused(((ReferenceCountedOpenSslEngine)
                                        event.tls().channel().engine())
                                .sslPointer()));
                    }
                }));
    }

    /**
     * One request from a JSSE client engine made for {@code localhost:443}, whichever server it
     * reaches: JSSE's client session cache files sessions by the engine's peer host and port, so
     * the client offers the same session to every server of the "fleet" (an {@code SSLSocket}
     * would file it by the real port and never offer it elsewhere). The engine runs over the
     * socket in the server's own {@link TlsChannel}.
     */
    private static void fetch(SSLContext client, TlsTestServer server, String protocol) throws Exception {
        SSLEngine engine = client.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        engine.setSSLParameters(parameters);
        int packet = engine.getSession().getPacketBufferSize();
        int application = engine.getSession().getApplicationBufferSize();
        EngineFactory sizes = new EngineFactory() {
            @Override
            public SSLEngine newEngine() {
                return null;
            }

            @Override
            public int packetBufferSize() {
                return packet;
            }

            @Override
            public int applicationBufferSize() {
                return application;
            }
        };
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) TlsFixtures.PATIENCE.toMillis());
            socket.setSoTimeout((int) TlsFixtures.PATIENCE.toMillis());
            TlsChannel channel = new TlsChannel(
                    sizes,
                    engine,
                    socket.getInputStream(),
                    socket.getOutputStream(),
                    new BufferPool(packet, 2),
                    new BufferPool(application, 2),
                    new BufferPool(2 * packet, 2));
            channel.handshake();
            byte[] request =
                    (REQUEST.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n")).getBytes(StandardCharsets.US_ASCII);
            channel.write(ByteBuffer.wrap(request));
            // to the end: the response comes after TLS 1.3's NewSessionTicket, which is then cached
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = channel.read(buffer, 0, buffer.length)) > 0) {
                response.write(buffer, 0, n);
            }
            assertThat(response.toString(StandardCharsets.US_ASCII)).contains("protocol=" + protocol);
        }
    }

    /** One request through {@code openssl s_client}; stdin stays open until the answer arrived. */
    private static String exchange(TlsTestServer server, String version, String sessionOption, Path session)
            throws Exception {
        try (ExternalProcess openssl = ExternalProcess.start(
                OpenSsl.sClientCommand(server.port(), version, sessionOption, session.toString()))) {
            openssl.write(REQUEST);
            // TLS 1.3 tickets arrive after the handshake: only once the response is in is the
            // ticket surely received and written to -sess_out
            openssl.awaitOutput("protocol=TLSv1.", TlsFixtures.PATIENCE);
            openssl.closeInput();
            openssl.awaitExit(TlsFixtures.PATIENCE);
            return openssl.output();
        }
    }
}
