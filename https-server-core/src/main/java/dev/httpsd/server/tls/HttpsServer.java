package dev.httpsd.server.tls;

import dev.httpsd.server.EventSink;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server: ESP-IDF's {@code esp_https_server}. {@link #start} wraps {@link
 * HttpServer#start} as {@code httpd_ssl_start} wraps {@code httpd_start}: in SECURE mode TLS is
 * installed through the session hooks; in INSECURE mode plain HTTP is served and no TLS object
 * exists.
 *
 * <p>Register handlers and use every other {@code httpd_*} function on {@link #httpServer()}; stop
 * through this class so the HTTPS STOP event is posted.
 *
 * <pre>{@code
 * HttpsServer https = HttpsServer.start(HttpsServerConfig.builder()
 *         .portSecure(8443)
 *         .serverKey(KeyMaterial.fromPemFiles(Path.of("cert.pem"), Path.of("key.pem"), null))
 *         .build());
 * https.httpServer().registerUriHandler(UriHandler.of("/", HttpMethod.GET,
 *         (req, resp) -> resp.send("<h1>Hello Secure World!</h1>")));
 * }</pre>
 *
 * <h2>JVM-wide JSSE settings</h2>
 *
 * JSSE offers no per-engine or per-context switch for two behaviours, so {@link #start} of a
 * SECURE server sets two system properties, each only if it is not set already (a value given
 * with {@code -D} or set earlier always wins, and is then what every server gets), and logs at
 * INFO each one it sets:
 *
 * <ul>
 *   <li>{@code jdk.tls.rejectClientInitiatedRenegotiation=true}: a TLS server must not let
 *       clients renegotiate (CVE-2011-1473; TLS 1.3 has no renegotiation). JSSE reads it once,
 *       when the JVM's first server-side handshake runs: if some other TLS server in the JVM
 *       handshook before the first HTTPS server started, the property has no effect at all. Otherwise
 *       every TLS server in the JVM (Tomcat, Jetty, the JDK's {@code HttpsServer}, any {@code
 *       SSLServerSocket}) refuses client-initiated renegotiation from then on. Clients are not
 *       affected.
 *   <li>{@code jdk.tls.server.enableSessionTicketExtension=false}: JSSE reads it whenever an
 *       {@link SSLContext} is created. With it on, a TLS 1.2 server announces an RFC 5077 ticket
 *       in its ServerHello and then withholds it when {@code sessionTickets(false)} switches
 *       tickets off (by a session timeout over 7 days, the only per-context switch JSSE has), and
 *       OpenSSL clients abort the handshake ("unexpected message"). With it off, resumption is
 *       stateful: TLS 1.2 resumes by session id and TLS 1.3 tickets name an entry of the server's
 *       session cache ({@code javax.net.ssl.sessionCacheSize}, 20480 by default) instead of
 *       carrying the encrypted session. For every other server-side {@code SSLContext} created in
 *       the JVM afterwards, resumption keeps working but is stateful too (server memory instead
 *       of tickets); client contexts are not affected ({@code
 *       jdk.tls.client.enableSessionTicketExtension} is a separate property). A context created
 *       before the first HTTPS server started keeps stateless tickets: passed as {@code
 *       sslContext} (or to {@link #reload(SSLContext)}) with {@code sessionTickets(false)}, it
 *       fails the handshakes of TLS 1.2 clients that offer tickets. Call {@link
 *       #applyJsseSettings()} before creating such a context, or start the JVM with {@code
 *       -Djdk.tls.server.enableSessionTicketExtension=false}.
 * </ul>
 *
 * Whether a server resumes sessions at all ({@code sessionTickets}) is per server: two servers in
 * one JVM can differ. The OpenSSL engine ({@link TlsEngine#OPENSSL}) reads neither property for
 * its own behaviour: it refuses renegotiation always, and switches tickets per server.
 */
public final class HttpsServer {

    private static final System.Logger LOG = System.getLogger(HttpsServer.class.getName());

    private final HttpsServerConfig config;
    private final HttpServer server;
    private final HttpServer redirect;
    private final TlsContext context;
    private final ScheduledThreadPoolExecutor timer;
    private final EventSink events;
    private final AtomicBoolean stopPosted = new AtomicBoolean();
    /** Follows the session ticket key files when they are to be reloaded; null otherwise. */
    private volatile TicketKeyWatcher ticketKeyWatcher;

    private HttpsServer(
            HttpsServerConfig config,
            HttpServer server,
            EventSink events,
            HttpServer redirect,
            TlsContext context,
            ScheduledThreadPoolExecutor timer) {
        this.config = config;
        this.server = server;
        this.events = events;
        this.redirect = redirect;
        this.context = context;
        this.timer = timer;
    }

    /**
     * Starts the server ({@code httpd_ssl_start}). Posts the HTTP START then the HTTPS START event.
     *
     * @throws TlsMaterialException when the certificate is expired and {@code
     *     failOnExpiredCertificate} is set
     * @throws java.net.BindException when a port cannot be bound
     */
    public static HttpsServer start(HttpsServerConfig config) throws IOException {
        return start(config, server -> {});
    }

    /**
     * Like {@link #start(HttpsServerConfig)}, running {@code beforeAccepting} on the HTTP server
     * once its port is bound and before it accepts connections: register handlers there.
     */
    public static HttpsServer start(HttpsServerConfig config, Consumer<HttpServer> beforeAccepting) throws IOException {
        Objects.requireNonNull(config, "config");
        AtomicReference<EventSink> events = new AtomicReference<>();
        if (config.transportMode() == TransportMode.INSECURE) {
            HttpServer server = HttpServer.start(
                    // RFC 6797 §7.2: no Strict-Transport-Security over plain HTTP
                    config.httpd().toBuilder()
                            .serverPort(config.portInsecure())
                            .strictTransportSecurity(null)
                            .build(),
                    beforeAccepting,
                    events::set);
            HttpsServer https = new HttpsServer(config, server, events.get(), null, null, null);
            https.postStart();
            return https;
        }
        applyJsseSettings();
        checkValidity(config.serverKey(), config.failOnExpiredCertificate());
        config.sniKeys().values().forEach(key -> checkValidity(key, config.failOnExpiredCertificate()));
        TlsContext context = new TlsContext(config);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "httpsd-tls-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        TlsTransport transport = new TlsTransport(config, context, timer);
        // like httpd_ssl_start, the TLS context is the server's global transport context
        HttpServerConfig httpd = config.httpd().toBuilder()
                .serverPort(config.portSecure())
                .scheme("https")
                .openHook(transport)
                .closeHook(transport)
                .globalTransportContext(new TlsServerContext(context), null)
                .build();
        HttpServer server;
        try {
            server = HttpServer.start(httpd, beforeAccepting, events::set);
        } catch (IOException | RuntimeException e) {
            timer.shutdownNow();
            context.close();
            throw e;
        }
        HttpServer redirect = null;
        if (config.redirectInsecure()) {
            try {
                redirect = HttpsRedirect.start(config, server.port());
            } catch (IOException | RuntimeException e) {
                server.stop();
                timer.shutdownNow();
                context.close();
                throw e;
            }
        }
        HttpsServer https = new HttpsServer(config, server, events.get(), redirect, context, timer);
        try {
            https.ticketKeyWatcher =
                    TicketKeyWatcher.forServer(config.sessionTicketKeyFiles(), context, "port " + https.port());
        } catch (IOException | RuntimeException e) {
            https.stop();
            throw e;
        }
        https.postStart();
        return https;
    }

    /** The HTTP server underneath: register handlers and use sessions through it. */
    public HttpServer httpServer() {
        return server;
    }

    public HttpsServerConfig config() {
        return config;
    }

    /** The port served: the secure port in SECURE mode, the insecure one in INSECURE mode. */
    public int port() {
        return server.port();
    }

    /** The redirecting plain-HTTP server in SECURE mode with {@code redirectInsecure}. */
    public Optional<HttpServer> redirectServer() {
        return Optional.ofNullable(redirect);
    }

    public TransportMode transportMode() {
        return config.transportMode();
    }

    /**
     * Replaces the certificates and CA of a running SECURE server: new handshakes use them,
     * established sessions keep theirs. Not in ESP (a certificate change means stop/start there).
     *
     * @param caCertificates the CAs for client certificates; empty keeps the current ones; ignored
     *     when client auth is off
     * @throws TlsMaterialException when the new certificate is expired and {@code
     *     failOnExpiredCertificate} is set
     */
    public void reload(KeyMaterial serverKey, Map<String, KeyMaterial> sniKeys, List<X509Certificate> caCertificates) {
        requireSecure();
        checkValidity(serverKey, config.failOnExpiredCertificate());
        sniKeys.values().forEach(key -> checkValidity(key, config.failOnExpiredCertificate()));
        List<X509Certificate> ca = caCertificates == null || caCertificates.isEmpty()
                ? context.caCertificates()
                : List.copyOf(caCertificates);
        context.reload(serverKey, Map.copyOf(sniKeys), ca);
        LOG.log(Level.INFO, () -> "TLS material reloaded on port " + port() + ": " + serverKey);
    }

    /**
     * Replaces the server certificate only, keeping the SNI certificates and CAs in use; see
     * {@link #reload(KeyMaterial, Map, List)}.
     */
    public void reload(KeyMaterial serverKey) {
        requireSecure();
        reload(serverKey, context.sniKeys(), context.caCertificates());
    }

    /**
     * Replaces the whole {@link SSLContext} used for new handshakes.
     *
     * @throws IllegalStateException with the OpenSSL engine, which takes {@link KeyMaterial} only
     */
    public void reload(SSLContext sslContext) {
        requireSecure();
        context.reload(Objects.requireNonNull(sslContext, "sslContext"));
    }

    /**
     * Replaces the session ticket keys of a running SECURE server with the OpenSSL engine: new
     * tickets are encrypted under the first key, tickets under any of them still resume (and are
     * renewed under the first), tickets under keys no longer listed make a full handshake.
     * Established sessions are untouched. To rotate across a fleet without failed resumptions,
     * first give every instance the next key as a decrypting one, then make it the first
     * everywhere, and drop the old one only after tickets under it expired (a day).
     *
     * @throws IllegalStateException in INSECURE mode, with the JDK engine (see {@link
     *     TlsEngine}), or with session tickets off
     */
    public void reloadTicketKeys(SessionTicketKeys keys) {
        Objects.requireNonNull(keys, "keys");
        requireSecure();
        if (server.isStopped()) {
            throw new IllegalStateException("the server is stopped");
        }
        context.reloadTicketKeys(keys);
        LOG.log(Level.INFO, () -> "Session ticket keys replaced on port " + port() + ": " + keys);
    }

    /**
     * The session ticket keys in use, as configured or last reloaded; empty when none were
     * configured (BoringSSL's own keys, or JSSE's session cache) or in INSECURE mode.
     */
    public Optional<SessionTicketKeys> sessionTicketKeys() {
        return context == null ? Optional.empty() : Optional.ofNullable(context.ticketKeys());
    }

    /**
     * The server certificate presented to new handshakes now (after any reload); empty in
     * INSECURE mode, with a ready {@link SSLContext}, or with only a certificate selector.
     */
    public Optional<KeyMaterial> serverKey() {
        return context == null
                ? Optional.empty()
                : Optional.ofNullable(context.material().serverKey());
    }

    /** The certificates presented per server name (SNI) now. */
    public Map<String, KeyMaterial> sniKeys() {
        return context == null ? Map.of() : context.material().sniKeys();
    }

    /** The CA certificates that verify clients now. */
    public List<X509Certificate> caCertificates() {
        return context == null ? List.of() : context.material().caCertificates();
    }

    /** The TLS context in SECURE mode, null in INSECURE mode. */
    TlsContext tlsContext() {
        return context;
    }

    /** Stops at once ({@code httpd_ssl_stop}): HTTP STOP, then HTTPS STOP. */
    public void stop() {
        stop(Duration.ZERO);
    }

    /**
     * Stops gracefully: requests in flight get up to {@code gracePeriod} to finish.
     *
     * @return true when every session ended within the grace period
     */
    public boolean stop(Duration gracePeriod) {
        if (server.isStopped()) {
            return true;
        }
        TicketKeyWatcher watcher = ticketKeyWatcher;
        if (watcher != null) {
            watcher.close();
        }
        if (redirect != null) {
            redirect.stop();
        }
        boolean clean = true;
        if (gracePeriod.isZero()) {
            server.stop();
        } else {
            clean = server.stop(gracePeriod);
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (context != null) {
            context.close(); // idempotent: a stop at once and a graceful one may both get here
        }
        // a stop at once may overtake a graceful one running on another thread: one STOP only
        if (stopPosted.compareAndSet(false, true)) {
            events.post(new HttpsServerEvent.Stop(server.localAddress()));
        }
        return clean;
    }

    private void postStart() {
        events.post(new HttpsServerEvent.Start(server.localAddress(), config.transportMode()));
    }

    /**
     * Sets the two JVM-wide JSSE properties described in the class javadoc, each unless it is set
     * already; a SECURE {@link #start} calls it. Call it yourself before creating an {@link
     * SSLContext} to pass as {@code sslContext} with {@code sessionTickets(false)}.
     */
    public static void applyJsseSettings() {
        // a TLS server should never let clients renegotiate (CVE-2011-1473); JSSE reads this once,
        // at the JVM's first server handshake
        setUnlessSet("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        // read by every SSLContext when it is created: with stateless tickets a TLS 1.2 ServerHello
        // promises a ticket that JSSE then withholds under sessionTickets(false), and OpenSSL
        // clients abort; stateful resumption works the same and can be switched off per server
        setUnlessSet("jdk.tls.server.enableSessionTicketExtension", "false");
    }

    private static void setUnlessSet(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
            LOG.log(Level.INFO, () -> "JVM-wide JSSE setting for HTTPS servers: " + property + "=" + value);
        }
    }

    private void requireSecure() {
        if (context == null) {
            throw new IllegalStateException("the server runs in INSECURE mode: there is no TLS material to reload");
        }
    }

    private static void checkValidity(KeyMaterial key, boolean fail) {
        if (key == null) {
            return;
        }
        TlsMaterialException problem = key.validityProblem(new Date());
        if (problem != null) {
            if (fail) {
                throw problem;
            }
            LOG.log(
                    Level.WARNING,
                    "*** TLS certificate problem: " + problem.getMessage()
                            + " — clients will reject this server. Replace the certificate, or set"
                            + " failOnExpiredCertificate to refuse to start. ***");
        }
    }
}
