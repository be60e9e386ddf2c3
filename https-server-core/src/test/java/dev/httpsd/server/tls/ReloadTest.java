package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.httpsd.server.RawClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link HttpsServer#reload}: new handshakes get the new material, established sessions keep
 * theirs, and reloading under traffic fails no request.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class ReloadTest {

    @Parameter
    TlsEngine engine;

    private static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final KeyMaterial SECOND =
            TlsFixtures.CA.issueServer("second", Duration.ofDays(2), Certificates.DEVELOPMENT_NAMES);

    @Test
    void newHandshakesPresentTheNewCertificateWhileAnEstablishedSessionKeepsWorking() throws Exception {
        SSLContext client = TlsFixtures.clientContext(null);
        try (TlsTestServer server = TlsTestServer.start(engine);
                SSLSocket established = TlsFixtures.connect(client, server.port());
                RawClient keptAlive = new RawClient(established)) {
            assertThat(keptAlive.exchange(REQUEST).status()).isEqualTo(200);
            assertThat(subject(server)).isEqualTo("CN=localhost");

            server.https().reload(SECOND);

            assertThat(subject(server)).isEqualTo("CN=second");
            assertThat(keptAlive.exchange(REQUEST).status()).isEqualTo(200);
            assertThat(established.getSession().getPeerCertificates()[0]).isEqualTo(TlsFixtures.SERVER.certificate());
        }
    }

    @Test
    void reloadingUnderTrafficFailsNoRequest() throws Exception {
        int threads = 4;
        int requestsEach = 200;
        int reloads = 6;
        AtomicInteger done = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        try (TlsTestServer server = TlsTestServer.start(engine, b -> b.sessionTickets(false))) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SSLContext context = TlsFixtures.clientContext(null);
                running.add(clients.submit(() -> {
                    for (int i = 0; i < requestsEach && failures.isEmpty(); i++) {
                        try (SSLSocket socket = TlsFixtures.connect(context, server.port());
                                RawClient client = new RawClient(socket)) {
                            RawClient.Response response = client.exchange(
                                    "GET /tls HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                            assertThat(response.status()).isEqualTo(200);
                            seen.add(((X509Certificate) socket.getSession().getPeerCertificates()[0])
                                    .getSubjectX500Principal()
                                    .getName());
                        } catch (IOException | RuntimeException | AssertionError e) {
                            failures.add(e);
                        }
                        done.incrementAndGet();
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int total = threads * requestsEach;
            for (int r = 1; r <= reloads; r++) {
                int threshold = total * r / (reloads + 1);
                while (done.get() < threshold && failures.isEmpty()) {
                    assertThat(System.nanoTime()).as("traffic stalled").isLessThan(deadline);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                }
                server.https().reload(r % 2 == 1 ? SECOND : TlsFixtures.SERVER);
            }
            for (Future<?> future : running) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(failures).isEmpty();
        assertThat(done).hasValue(threads * requestsEach);
        assertThat(seen).containsExactlyInAnyOrder("CN=localhost", "CN=second");
    }

    @Test
    void reloadedCaCertificatesDecideWhichClientsGetIn() throws Exception {
        Certificates.Authority other = Certificates.authority("other CA", Duration.ofDays(2));
        KeyMaterial otherClient = other.issueClient("other client", Duration.ofDays(1));
        try (TlsTestServer server =
                TlsTestServer.start(engine, b -> b.caCertificates(List.of(TlsFixtures.CA.certificate())))) {
            assertThat(fetch(server, TlsFixtures.CLIENT)).contains("peer=CN=test client");

            server.https().reload(TlsFixtures.SERVER, Map.of(), List.of(other.certificate()));

            assertThat(fetch(server, otherClient)).contains("peer=CN=other client");
            assertThatThrownBy(() -> fetch(server, TlsFixtures.CLIENT)).isInstanceOf(IOException.class);

            server.https().reload(SECOND);

            assertThat(subject(server)).isEqualTo("CN=second");
            assertThat(fetch(server, otherClient))
                    .as("replacing the certificate only keeps the reloaded CAs")
                    .contains("peer=CN=other client");
        }
    }

    @Test
    void reloadedSniKeysApplyToNewHandshakes() throws Exception {
        KeyMaterial api = TlsFixtures.CA.issueServer("api.example.com", Duration.ofDays(2), List.of("api.example.com"));
        try (TlsTestServer server = TlsTestServer.start(engine)) {
            server.https().reload(TlsFixtures.SERVER, Map.of("api.example.com", api), List.of());

            assertThat(TlsFixtures.presentedSubject(
                            TlsFixtures.clientContext(null), server.port(), TlsFixtures.serverName("api.example.com")))
                    .isEqualTo("CN=api.example.com");
            assertThat(subject(server)).isEqualTo("CN=localhost");
        }
    }

    @Test
    void aReadySslContextCanBeReloaded() throws Exception {
        assumeTrue(engine == TlsEngine.JDK, "an SSLContext is the JDK's own TLS: see OpenSslEngineTest");
        SSLContext replacement = SSLContext.getInstance("TLS");
        replacement.init(new KeyManager[] {new SniKeyManager(SECOND, Map.of(), null)}, null, null);
        try (TlsTestServer server = TlsTestServer.start(engine)) {
            server.https().reload(replacement);

            assertThat(subject(server)).isEqualTo("CN=second");
        }
    }

    @Test
    void anExpiredCertificateIsNotReloadedWhenFailOnExpiredCertificateIsSet() throws Exception {
        Instant now = Instant.now();
        KeyMaterial expired = TlsFixtures.CA.issueServer(
                "expired", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)), List.of("localhost"));
        try (TlsTestServer server = TlsTestServer.start(engine, b -> b.failOnExpiredCertificate(true))) {
            assertThatThrownBy(() -> server.https().reload(expired))
                    .isInstanceOfSatisfying(
                            TlsMaterialException.class,
                            e -> assertThat(e.reason()).isEqualTo(TlsMaterialException.Reason.EXPIRED));

            assertThat(subject(server)).isEqualTo("CN=localhost");
        }
    }

    @Test
    void aReloadFromAKeyFileThatCannotBeReadNamesItAndTheOldCertificateKeepsServing(@TempDir Path dir)
            throws Exception {
        Path[] pem = TlsFixtures.writePem(SECOND, dir, "second");
        // a directory where the key file should be: unreadable even to root, which chmod 000 is not
        Files.delete(pem[1]);
        Files.createDirectory(pem[1]);
        try (TlsTestServer server = TlsTestServer.start(engine)) {
            assertThatThrownBy(() -> server.https().reload(KeyMaterial.fromPemFiles(pem[0], pem[1], null)))
                    .isInstanceOfSatisfying(TlsMaterialException.class, e -> {
                        assertThat(e.reason()).isEqualTo(TlsMaterialException.Reason.UNREADABLE);
                        assertThat(e.getMessage()).contains(pem[1].toString());
                    });

            assertThat(subject(server)).isEqualTo("CN=localhost");
            assertThat(TlsFixtures.fetch(TlsFixtures.clientContext(null), server.port(), "/tls", p -> {})
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void reloadIsRefusedInInsecureMode() throws Exception {
        HttpsServer http = HttpsServer.start(HttpsServerConfig.builder()
                .engine(engine)
                .transportMode(TransportMode.INSECURE)
                .portInsecure(0)
                .build());
        try {
            assertThatThrownBy(() -> http.reload(SECOND))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("INSECURE");
        } finally {
            http.stop();
        }
    }

    /** The certificate a fresh client (no session to resume) is shown. */
    private static String subject(TlsTestServer server) throws Exception {
        return TlsFixtures.presentedSubject(TlsFixtures.clientContext(null), server.port(), p -> {});
    }

    private static String fetch(TlsTestServer server, KeyMaterial clientKey) throws Exception {
        return TlsFixtures.fetch(TlsFixtures.clientContext(clientKey), server.port(), "/tls", p -> {})
                .bodyText();
    }
}
