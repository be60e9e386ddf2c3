package dev.httpsd.server.tls;

import dev.httpsd.server.InvalidConfigException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The server's current {@link EngineFactory} (JSSE or OpenSSL) and the buffers its channels share.
 * The factory sits in a volatile field: {@link #reload} swaps it so new handshakes use new material
 * while established sessions keep theirs. The session ticket keys (OpenSSL only) outlive a reload:
 * each new factory gets the keys in use, and {@link #reloadTicketKeys} gives them to the current
 * one; one lock orders the two kinds of reload so a key change is never lost to a certificate
 * change running at the same time.
 */
final class TlsContext {

    private final HttpsServerConfig config;
    /** The JDK engine's per-connection parameters, checked once at start; null with OpenSSL. */
    private final SSLParameters parameters;

    private volatile EngineFactory current;
    /** Configured session ticket keys in use; null when BoringSSL makes its own, or with JSSE. */
    private volatile SessionTicketKeys ticketKeys;

    private final ReentrantLock reloading = new ReentrantLock();
    private final BufferPool packetPool;
    private final BufferPool applicationPool;
    private final BufferPool writePool;
    private volatile Material material;

    /** The certificates currently presented to new handshakes, and the client CAs. */
    record Material(KeyMaterial serverKey, Map<String, KeyMaterial> sniKeys, List<X509Certificate> caCertificates) {}

    /**
     * @throws InvalidConfigException when the engine lacks a configured protocol or cipher suite,
     *     or the OpenSSL engine is chosen without its libraries
     * @throws TlsMaterialException when session ticket key files cannot be read
     */
    TlsContext(HttpsServerConfig config) {
        this.config = config;
        this.material = new Material(config.serverKey(), config.sniKeys(), config.caCertificates());
        if (config.engine() == TlsEngine.OPENSSL) {
            this.parameters = null;
            this.ticketKeys = config.sessionTicketKeyFiles() != null
                    ? config.sessionTicketKeyFiles().read()
                    : config.sessionTicketKeys();
            this.current = OpenSslEngines.factory(config, material, ticketKeys);
        } else {
            SSLContext context = config.sslContext() != null
                    ? config.sslContext()
                    : JdkEngineFactory.build(
                            config.serverKey(),
                            config.sniKeys(),
                            config.certificateSelector(),
                            config.caCertificates());
            this.parameters = JdkEngineFactory.parameters(context, config);
            this.current = new JdkEngineFactory(context, parameters, config.sessionTickets());
        }
        // pooled buffers sized for the largest record; sessions hold them only while a record is in flight
        int pooled = Math.max(64, Math.min(4096, config.httpd().maxOpenSockets()));
        this.packetPool = new BufferPool(current.packetBufferSize(), pooled);
        this.applicationPool = new BufferPool(current.applicationBufferSize(), pooled);
        // two records per write system call: ~33 KiB stays within one loopback TCP segment (MSS
        // 65,483), where four (~67 KiB) made every write two segments and cost 15 % of the 1 MiB
        // throughput (benchmark c: 2,038 -> 2,365 MiB/s)
        this.writePool = new BufferPool(2 * current.packetBufferSize(), pooled / 4);
    }

    /** A TLS channel over a connection's streams, borrowing large buffers from the server's pools. */
    TlsChannel channel(InputStream in, OutputStream out) {
        while (true) {
            EngineFactory factory = current;
            SSLEngine engine = factory.newEngine();
            if (engine != null) {
                return new TlsChannel(factory, engine, in, out, packetPool, applicationPool, writePool);
            }
            // closed by a reload between reading the field and making the engine: the next is set
        }
    }

    boolean clientAuth() {
        return config.clientAuth() != ClientAuth.NONE;
    }

    ClientAuth clientAuthMode() {
        return config.clientAuth();
    }

    TlsEngine engine() {
        return config.engine();
    }

    /** The context new handshakes use now; null with the OpenSSL engine, which has none. */
    SSLContext sslContext() {
        return current instanceof JdkEngineFactory jdk ? jdk.sslContext() : null;
    }

    /** The SNI certificates new handshakes choose from. */
    Map<String, KeyMaterial> sniKeys() {
        return material.sniKeys();
    }

    /** The CAs new handshakes verify client certificates with. */
    List<X509Certificate> caCertificates() {
        return material.caCertificates();
    }

    /** Swaps in new material for new handshakes. */
    void reload(KeyMaterial serverKey, Map<String, KeyMaterial> sniKeys, List<X509Certificate> caCertificates) {
        Material next = new Material(serverKey, sniKeys, caCertificates);
        reloading.lock();
        try {
            if (config.engine() == TlsEngine.OPENSSL) {
                install(OpenSslEngines.factory(config, next, ticketKeys));
            } else {
                SSLContext context =
                        JdkEngineFactory.build(serverKey, sniKeys, config.certificateSelector(), caCertificates);
                install(new JdkEngineFactory(context, parameters, config.sessionTickets()));
            }
            material = next;
        } finally {
            reloading.unlock();
        }
    }

    /** Swaps in a ready {@link SSLContext}; JDK engine only. */
    void reload(SSLContext context) {
        if (config.engine() != TlsEngine.JDK) {
            throw new IllegalStateException("the " + config.engine()
                    + " engine cannot use an SSLContext (the JDK's own TLS): reload with KeyMaterial instead");
        }
        reloading.lock();
        try {
            install(new JdkEngineFactory(context, parameters, config.sessionTickets()));
            material = new Material(null, Map.of(), List.of());
        } finally {
            reloading.unlock();
        }
    }

    /**
     * New session ticket keys for the handshakes to come; established sessions are untouched.
     *
     * @throws IllegalStateException with the JDK engine, or with session tickets off
     */
    void reloadTicketKeys(SessionTicketKeys keys) {
        if (config.engine() != TlsEngine.OPENSSL) {
            throw new IllegalStateException(JDK_TICKET_KEYS);
        }
        reloading.lock();
        try {
            current.ticketKeys(keys);
            ticketKeys = keys;
        } finally {
            reloading.unlock();
        }
    }

    /** The configured session ticket keys in use; null when none are (BoringSSL's own, or JSSE). */
    SessionTicketKeys ticketKeys() {
        return ticketKeys;
    }

    /** Why the JDK engine takes no ticket keys: for exceptions at start and at reload. */
    static final String JDK_TICKET_KEYS = "the JDK engine (JSSE) cannot use configured session ticket keys: JSSE"
            + " generates the keys of its stateless tickets inside each SSLContext's session context"
            + " (random AES-256 keys, replaced after jdk.tls.server.statelessKeyTimeout) and has no API"
            + " to set, read or share them; httpsd also runs JSSE with stateful resumption, whose sessions"
            + " live in one JVM's cache. Use the OpenSSL engine for ticket keys shared by several instances";

    Material material() {
        return material;
    }

    /** Engines of the current material made and not yet freed; -1 for the JDK engine. */
    int liveEngines() {
        return current.liveEngines();
    }

    /** The server stopped: no more engines; sessions still closing keep theirs until freed. */
    void close() {
        current.close();
    }

    private void install(EngineFactory next) {
        EngineFactory previous = current;
        current = next;
        previous.close();
    }
}
