package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.InvalidConfigException;
import dev.httpsd.server.tls.HttpsServer;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.server.tls.TransportMode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

/**
 * The httpsd server as a Spring Boot {@link WebServer}. {@link #start()} builds the configuration,
 * binds, registers the handlers and follows SSL bundle updates; {@link #shutDownGracefully}
 * starts the drain on its own thread and returns at once; {@link #stop()} stops at once, cutting
 * a drain still under way. The context drives it through {@link HttpsServerLifecycle} and Spring
 * Boot's graceful-shutdown lifecycle, in Boot's two phases.
 */
public final class HttpsdWebServer implements WebServer {

    private static final Log LOG = LogFactory.getLog(HttpsdWebServer.class);

    /** How long {@link #stop()} waits for a drain it cut to finish closing sessions. */
    private static final Duration CUT_DRAIN_PATIENCE = Duration.ofSeconds(30);

    private final HttpsServerConfigFactory configFactory;
    private final AnnotatedHandlers handlers;
    private final ServerEventBridge eventBridge;
    private final TlsMaterialResolver tls;
    private final List<HttpsServerCustomizer> customizers;
    private final Duration drainTimeout;
    /** Guards starting and stopping; never held while waiting for sessions. */
    private final ReentrantLock lock = new ReentrantLock();

    private volatile HttpsServer server;
    private Thread drain;

    /**
     * @param eventBridge {@code null} when server events are not published
     * @param drainTimeout longest a graceful shutdown waits for requests in flight; Spring Boot's
     *     {@code spring.lifecycle.timeout-per-shutdown-phase}
     */
    HttpsdWebServer(
            HttpsServerConfigFactory configFactory,
            AnnotatedHandlers handlers,
            ServerEventBridge eventBridge,
            TlsMaterialResolver tls,
            List<HttpsServerCustomizer> customizers,
            Duration drainTimeout) {
        this.configFactory = configFactory;
        this.handlers = handlers;
        this.eventBridge = eventBridge;
        this.tls = tls;
        this.customizers = List.copyOf(customizers);
        this.drainTimeout = drainTimeout;
    }

    @Override
    public void start() {
        lock.lock();
        try {
            if (server != null) {
                return;
            }
            HttpsServerConfig config = configFactory.create();
            HttpsServer started;
            try {
                started = HttpsServer.start(config, this::beforeAccepting);
            } catch (IOException e) {
                throw new WebServerException("Unable to start httpsd: " + e.getMessage(), e);
            } catch (InvalidConfigException e) {
                // e.g. a cipher suite this JVM lacks, found only when the TLS context is built
                throw HttpsServerConfigFactory.asPropertyError(e);
            }
            tls.followBundleUpdates(started);
            server = started;
            LOG.info("httpsd serving " + (config.transportMode() == TransportMode.SECURE ? "HTTPS" : "HTTP")
                    + " on port " + started.port()
                    + started.redirectServer()
                            .map(r -> " (redirecting HTTP on port " + r.port() + ")")
                            .orElse(""));
        } finally {
            lock.unlock();
        }
    }

    private void beforeAccepting(HttpServer http) {
        if (eventBridge != null) {
            eventBridge.bind(http);
        }
        handlers.registerAll(http);
        customizers.forEach(customizer -> customizer.configure(http));
    }

    /**
     * Refuses new connections at once, closes idle sessions and lets requests in flight finish
     * (their responses say {@code Connection: close}) for up to the shutdown phase's timeout, on
     * a thread of its own; {@code callback} hears the result.
     */
    @Override
    public void shutDownGracefully(GracefulShutdownCallback callback) {
        lock.lock();
        try {
            HttpsServer running = server;
            if (running == null || running.httpServer().isStopped() || drain != null) {
                callback.shutdownComplete(GracefulShutdownResult.IDLE);
                return;
            }
            LOG.info("Commencing graceful shutdown of httpsd on port " + running.port() + ". Waiting up to "
                    + drainTimeout.toMillis() + " ms for active requests to complete");
            drain = Thread.ofPlatform().name("httpsd-shutdown").start(() -> drain(running, callback));
        } finally {
            lock.unlock();
        }
    }

    private void drain(HttpsServer running, GracefulShutdownCallback callback) {
        GracefulShutdownResult result = GracefulShutdownResult.REQUESTS_ACTIVE;
        try {
            if (running.stop(drainTimeout)) {
                result = GracefulShutdownResult.IDLE;
                LOG.info("Graceful shutdown of httpsd complete");
            } else {
                LOG.info("Graceful shutdown of httpsd ended with requests still active; they were closed");
            }
        } finally {
            callback.shutdownComplete(result);
        }
    }

    /** Stops at once: sessions still open, a drain's included, are closed. */
    @Override
    public void stop() {
        HttpsServer running;
        Thread draining;
        lock.lock();
        try {
            running = server;
            draining = drain;
            server = null;
            drain = null;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.stop();
        }
        if (draining != null) {
            awaitDrain(draining);
        }
    }

    private static void awaitDrain(Thread draining) {
        try {
            if (!draining.join(CUT_DRAIN_PATIENCE)) {
                LOG.warn("The httpsd shutdown thread is still closing sessions after " + CUT_DRAIN_PATIENCE.toSeconds()
                        + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bound port, or -1 when the server is not running. */
    @Override
    public int getPort() {
        HttpsServer running = server;
        return running == null ? -1 : running.port();
    }

    /** Whether the server was started and not stopped since; a drained server counts until {@link #stop()}. */
    public boolean isRunning() {
        return server != null;
    }

    /** The running server, or {@code null} when stopped. */
    public HttpsServer server() {
        return server;
    }

    /** What became of the reloads SSL bundle updates asked for since the application started. */
    public CertificateReloadStatus certificateReloads() {
        return tls.reloadStatus();
    }

    /**
     * Whether the server presents the development certificate ({@code
     * https-server.ssl.dev-certificate.enabled}) to new handshakes now.
     */
    public boolean usesDevelopmentCertificate() {
        HttpsServer running = server;
        return running != null && tls.servesDevelopmentCertificate(running);
    }
}
