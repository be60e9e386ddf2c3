package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.KeyMaterial;
import dev.httpsd.test.RawHttpConnection;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An SSL bundle updated 100 times while clients keep connecting and sending requests, as Spring's
 * file watcher updates a {@code reload-on-update} bundle (here without its quiet period, so the
 * reloads come fast): no handshake fails, no request fails or gets a wrong answer, and every
 * client whose handshake starts after a reload returned is shown that reload's certificate (or a
 * later one), never an older one. Each reload presents a certificate of its own, so the check is
 * exact. The default run drives 4 clients; {@code -Dhttpsd.long=true} drives 16 and waits for more
 * handshakes between reloads.
 */
class CertificateReloadUnderLoadTests {

    private static final boolean LONG = Boolean.getBoolean("httpsd.long");
    private static final int RELOADS = 100;
    private static final int CLIENTS = LONG ? 16 : 4;
    /** Handshakes completed between one reload and the next: the load each reload meets. */
    private static final int HANDSHAKES_PER_RELOAD = LONG ? 32 : 4;

    private static final int REQUESTS_PER_CONNECTION = 3;
    private static final Duration DEADLINE = LONG ? Duration.ofMinutes(20) : Duration.ofMinutes(3);
    private static final String BODY = "reloaded under load";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withUserConfiguration(Hello.class)
            .withPropertyValues("https-server.port-secure=0", "https-server.session-tickets=false");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES) // the long variant; the default run takes seconds
    void hundredBundleUpdatesUnderLoadFailNoHandshakeNoRequestAndNoClientSeesAnOlderCertificate() throws Exception {
        List<KeyMaterial> generations = new ArrayList<>();
        Map<BigInteger, Integer> generationOf = new HashMap<>();
        for (int g = 0; g <= RELOADS; g++) {
            KeyMaterial key = TestHttps.CA.issueServer(
                    "localhost generation " + g, Duration.ofDays(2), Certificates.DEVELOPMENT_NAMES);
            generations.add(key);
            generationOf.put(key.certificate().getSerialNumber(), g);
        }
        Path[] pem = TestHttps.writePem(generations.get(0), dir, "server");
        runner.withPropertyValues(
                        "spring.ssl.bundle.pem.web.keystore.certificate=" + pem[0],
                        "spring.ssl.bundle.pem.web.keystore.private-key=" + pem[1],
                        "https-server.ssl.bundle=web")
                .run(context -> {
                    int port = TestHttps.port(context);
                    SslBundleRegistry registry = context.getBean(SslBundleRegistry.class);
                    Load load = new Load(port, generationOf);
                    long started = System.nanoTime();
                    long deadline = started + DEADLINE.toNanos();
                    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                    try {
                        List<Future<?>> running = new ArrayList<>();
                        for (int c = 0; c < CLIENTS; c++) {
                            running.add(clients.submit(load::run));
                        }
                        for (int g = 1; g <= RELOADS; g++) {
                            long wanted = load.handshakes.get() + HANDSHAKES_PER_RELOAD;
                            while (load.handshakes.get() < wanted && load.failures.isEmpty()) {
                                assertThat(System.nanoTime())
                                        .as("traffic stalled")
                                        .isLessThan(deadline);
                                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                            }
                            registry.updateBundle("web", bundleOf(generations.get(g)));
                            // the update handler reloaded the server before updateBundle returned
                            load.published.set(g);
                        }
                        long wanted = load.handshakes.get() + HANDSHAKES_PER_RELOAD;
                        while (load.handshakes.get() < wanted && load.failures.isEmpty()) {
                            assertThat(System.nanoTime()).as("traffic stalled").isLessThan(deadline);
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                        }
                        load.stop.set(true);
                        for (Future<?> future : running) {
                            future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                        }
                    } finally {
                        load.stop.set(true);
                        clients.shutdownNow();
                    }
                    Duration took = Duration.ofNanos(System.nanoTime() - started);

                    assertThat(load.failures)
                            .as("failed handshakes and requests")
                            .isEmpty();
                    assertThat(load.stale)
                            .as("clients shown an older certificate than the last reload before their handshake")
                            .isEmpty();
                    assertThat(load.handshakes.get())
                            .isGreaterThanOrEqualTo((long) (RELOADS + 1) * HANDSHAKES_PER_RELOAD);
                    assertThat(load.requests.get()).isEqualTo(load.handshakes.get() * REQUESTS_PER_CONNECTION);
                    assertThat(TestHttps.presentedCertificate(port, "localhost"))
                            .isEqualTo(generations.get(RELOADS).certificate());
                    CertificateReloadStatus reloads =
                            context.getBean(HttpsServerLifecycle.class).certificateReloads();
                    assertThat(reloads.succeeded()).isEqualTo(RELOADS);
                    assertThat(reloads.failed()).isZero();
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> TestHttps.server(context).httpServer().openSessions() == 0);
                    System.out.printf(
                            "RELIABILITY certificate-reload: %d reloads, %d clients, %d handshakes, %d requests,"
                                    + " 0 failed handshakes, 0 failed requests, 0 clients shown an older certificate,"
                                    + " %d handshakes after the last reload all shown the last, %.1f s%n",
                            RELOADS,
                            CLIENTS,
                            load.handshakes.get(),
                            load.requests.get(),
                            load.afterLast.get(),
                            took.toMillis() / 1000.0);
                    // what was asserted; the counts above vary with the machine and stay out of it
                    ReliabilityTables.row(
                            LONG ? "spring-certificate-reload.long" : "spring-certificate-reload",
                            List.of(
                                    "run",
                                    "clients",
                                    "reloads (each a certificate of its own)",
                                    "full handshakes before each reload, at least",
                                    "requests per connection",
                                    "asserted"),
                            LONG ? "long" : "default",
                            List.of(
                                    LONG ? "long" : "default",
                                    String.valueOf(CLIENTS),
                                    String.valueOf(RELOADS),
                                    String.valueOf(HANDSHAKES_PER_RELOAD),
                                    String.valueOf(REQUESTS_PER_CONNECTION),
                                    "0 failed handshakes; 0 failed or wrong answers; 0 clients shown a certificate older"
                                            + " than the last reload before their handshake; a new client after the last"
                                            + " reload shown the last certificate; " + RELOADS + " reloads counted"
                                            + " succeeded, 0 failed; open sessions back to 0"));
                });
    }

    /** What the clients do until told to stop: connect, check the certificate, send requests, close. */
    private static final class Load {

        final int port;
        final Map<BigInteger, Integer> generationOf;
        final AtomicInteger published = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong handshakes = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong afterLast = new AtomicLong();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();

        Load(int port, Map<BigInteger, Integer> generationOf) {
            this.port = port;
            this.generationOf = generationOf;
        }

        void run() {
            SSLContext context = TestHttps.clientContext(null);
            while (!stop.get() && failures.isEmpty()) {
                int before = published.get();
                try (SSLSocket socket = TestHttps.connect(context, port);
                        RawHttpConnection connection = new RawHttpConnection(socket)) {
                    Certificate leaf = socket.getSession().getPeerCertificates()[0];
                    Integer shown = generationOf.get(((X509Certificate) leaf).getSerialNumber());
                    if (shown == null || shown < before) {
                        stale.add("handshake started after reload " + before + " was shown generation " + shown);
                    }
                    if (before == RELOADS) {
                        afterLast.incrementAndGet();
                    }
                    handshakes.incrementAndGet();
                    for (int i = 0; i < REQUESTS_PER_CONNECTION; i++) {
                        RawHttpConnection.Response response =
                                connection.exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n");
                        if (response.status() != 200 || !response.bodyText().equals(BODY)) {
                            failures.add(new AssertionError(
                                    "unexpected answer " + response.statusLine() + " " + response.bodyText()));
                            return;
                        }
                        requests.incrementAndGet();
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
            }
        }
    }

    private static SslBundle bundleOf(KeyMaterial key) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                "server", key.privateKey(), "secret".toCharArray(), key.chain().toArray(new Certificate[0]));
        return SslBundle.of(SslStoreBundle.of(store, "secret", null));
    }

    @Configuration(proxyBeanMethods = false)
    static class Hello {
        @Bean
        HttpsServerCustomizer hello() {
            return new HttpsServerCustomizer() {
                @Override
                public void configure(HttpServer server) {
                    server.registerUriHandler(UriHandler.of(
                            "/hello",
                            HttpMethod.GET,
                            (request, response) -> response.send(BODY.getBytes(StandardCharsets.UTF_8))));
                }

                @Override
                public void customize(HttpsServerConfig.Builder config) {}
            };
        }
    }
}
