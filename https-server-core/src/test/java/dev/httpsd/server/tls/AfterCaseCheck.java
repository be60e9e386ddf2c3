package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.Await;
import dev.httpsd.server.LogCapture;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.ResourceBaseline;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * What every hostile TLS case must leave as it found: opened before the case, checked after it.
 * Before: no session is left from an earlier case, a bystander connects over TLS and is served
 * (so the JDK's lazily made TLS state exists), and the resources are measured with the bystander's
 * session open. After: the bystander is served again on its kept-alive connection, a new client
 * is served, sessions, the server's and other platform threads, descriptors and CLOSE_WAIT sockets
 * are back to that baseline ({@link ResourceBaseline}), the OpenSSL engine has freed every engine
 * but the bystander's, nothing was logged above DEBUG under {@code dev.httpsd.server}, and once
 * the bystander leaves, no session is open.
 *
 * <p>One shared implementation for {@code TlsAbuseTest}, {@code WeakClientOffersTest}, {@code
 * HandshakeFloodTest}, {@code RenegotiationTest}, {@code ClientAuthMatrixTest} and the TLS churn
 * test, so that "after every case" means the same everywhere.
 */
final class AfterCaseCheck implements AutoCloseable {

    static final String REQUEST = "GET /tls HTTP/1.1\r\nHost: localhost\r\n\r\n";

    /** Checks passed in this JVM, so that {@link HostileSuiteRecord} can say which cases had one. */
    private static final AtomicLong PASSED = new AtomicLong();

    private final HttpsServer https;
    private final SSLContext client;
    private final LogCapture log;
    private final RawClient bystander;
    private final ResourceBaseline baseline;
    private Duration patience = ResourceBaseline.RETURN_DEADLINE;
    private boolean bystanderGone;

    private AfterCaseCheck(HttpsServer https, SSLContext client) throws IOException {
        this.https = https;
        this.client = client;
        Await.until(
                "no session left from an earlier case", () -> https.httpServer().openSessions() == 0);
        // the HTTP core and the HTTPS layer both log under dev.httpsd.server
        this.log = new LogCapture("dev.httpsd.server");
        RawClient connected = null;
        try {
            connected = new RawClient(TlsFixtures.connect(client, https.port()));
            assertThat(connected.exchange(REQUEST).status())
                    .as("the bystander is served before the case")
                    .isEqualTo(200);
            this.bystander = connected;
            this.baseline = ResourceBaseline.record(https.httpServer());
        } catch (IOException | RuntimeException | Error e) {
            log.close();
            if (connected != null) {
                connected.close();
            }
            throw e;
        }
    }

    /**
     * Connects a bystander to {@code https} with {@code client} (which must be able to complete a
     * handshake there and {@code GET /tls}) and measures the baseline.
     */
    static AfterCaseCheck before(HttpsServer https, SSLContext client) throws IOException {
        return new AfterCaseCheck(https, client);
    }

    /** {@link #before(HttpsServer, SSLContext)} with the fixture CA's client trust and no certificate. */
    static AfterCaseCheck before(HttpsServer https) throws Exception {
        return before(https, TlsFixtures.clientContext(null));
    }

    /** How long sessions, threads, descriptors and engines may take to come back. */
    AfterCaseCheck patience(Duration patience) {
        this.patience = patience;
        return this;
    }

    /** The kept-alive client connected before the case. */
    RawClient bystander() {
        return bystander;
    }

    /**
     * Everything after the case, as the class comment lists it; the bystander is closed at the end.
     *
     * @throws AssertionError naming what another client noticed or what was not given back
     */
    void assertNobodyNoticed() throws Exception {
        assertNobodyNoticed(true);
    }

    /**
     * As {@link #assertNobodyNoticed()}; {@code bystanderKept=false} where the case is allowed to
     * close the bystander (an LRU purge, the one session a full server may close), which must then
     * have been closed by the server, not have failed otherwise.
     */
    void assertNobodyNoticed(boolean bystanderKept) throws Exception {
        int bystanders = 1;
        if (bystanderKept) {
            assertThat(bystander.exchange(REQUEST).status())
                    .as("the bystander is served after the case")
                    .isEqualTo(200);
        } else {
            assertThat(bystander.closedByServer())
                    .as("the bystander was closed by the server")
                    .isTrue();
            // our end too, or it waits in CLOSE_WAIT on the client side
            bystander.close();
            bystanders = 0;
        }
        assertThat(TlsFixtures.fetch(client, https.port(), "/tls", p -> {}).status())
                .as("a new client is served after the case")
                .isEqualTo(200);
        int expected = bystanders;
        awaitTrue(
                () -> https.httpServer().openSessions() <= expected,
                () -> "sessions not back to the bystander's (" + expected + "): "
                        + https.httpServer().openSessions() + " open");
        baseline.awaitReturn(patience);
        // the OpenSSL engine's native state is freed with its session, not by the collector
        awaitTrue(
                () -> https.tlsContext().liveEngines() <= expected,
                () -> "TLS engines not freed: " + https.tlsContext().liveEngines() + " live");
        bystander.close();
        bystanderGone = true;
        TlsResourceCheck.assertReleased(https, 0);
        assertThat(log.aboveDebug()).as("server log lines above DEBUG").isEmpty();
        PASSED.incrementAndGet();
    }

    static long passedChecks() {
        return PASSED.get();
    }

    private void awaitTrue(BooleanSupplier condition, Supplier<String> failure) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get() + " within " + patience.toMillis() + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (!bystanderGone) {
                bystander.close();
            }
        } finally {
            log.close();
        }
    }
}
