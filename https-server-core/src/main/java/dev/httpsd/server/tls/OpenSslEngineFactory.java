package dev.httpsd.server.tls;

import dev.httpsd.server.InvalidConfigException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.ReferenceCountedOpenSslServerContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSL;
import io.netty.util.IllegalReferenceCountException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * {@link TlsEngine#OPENSSL}: BoringSSL engines from Netty's reference-counted OpenSSL context,
 * used as an engine factory only (no channels, no event loops; {@link TlsChannel} drives them).
 *
 * <p>Reference counts: the factory holds one on the native context ({@code SSL_CTX}) until it is
 * closed (reload, stop); every engine holds one on the context and owns its native {@code SSL},
 * freed by {@link #free} when the session ends. A context replaced by a reload lives on until its
 * last session is freed.
 *
 * <p>Resumption: with session tickets on, BoringSSL issues tickets (TLS 1.3 and 1.2) under keys
 * it generates per context and rotates itself, or under configured {@link SessionTicketKeys}
 * shared by a fleet ({@link OpenSslServerSessionContext#setTicketKeys}, through netty-tcnative's
 * ticket callback: AES-128-CBC and HMAC-SHA256, the first key encrypts, a ticket under any other
 * is accepted and renewed under the first); a session cache serves TLS 1.2 session ids. With
 * tickets off, neither.
 */
final class OpenSslEngineFactory implements EngineFactory {

    private static final int SESSION_TIMEOUT_SECONDS = 86_400;

    /** BoringSSL negotiates these in TLS 1.3 whatever it is told: it has no switch for them. */
    static final Set<String> BORINGSSL_TLS13_SUITES =
            Set.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    /** Key materials converted to BoringSSL's form once and kept per alias (stale ones evicted). */
    private static final int CACHED_KEY_MATERIALS = 1024;

    private static final int ALERT_NO_APPLICATION_PROTOCOL = 120;

    private final ReferenceCountedOpenSslServerContext context;
    private final boolean sessionTickets;
    private final List<String> alpnProtocols;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OpenSslEngineFactory(
            ReferenceCountedOpenSslServerContext context, boolean sessionTickets, List<String> alpnProtocols) {
        this.context = context;
        this.sessionTickets = sessionTickets;
        this.alpnProtocols = alpnProtocols;
    }

    /**
     * @throws InvalidConfigException when BoringSSL cannot be loaded, or lacks a configured
     *     protocol or cipher suite
     */
    static OpenSslEngineFactory create(
            HttpsServerConfig config, TlsContext.Material material, SessionTicketKeys ticketKeys) {
        if (!OpenSsl.isAvailable()) {
            throw new InvalidConfigException(
                    "HttpsServerConfig",
                    "engine",
                    TlsEngine.OPENSSL,
                    "BoringSSL from netty-tcnative-boringssl-static cannot be loaded on this platform ("
                            + OpenSsl.unavailabilityCause() + "); use the JDK engine");
        }
        checkSupported(config);
        checkKeys(material);
        SslContextBuilder builder = SslContextBuilder.forServer(keyManagers(material, config.certificateSelector()))
                .sslProvider(SslProvider.OPENSSL_REFCNT)
                .protocols(config.protocols())
                .ciphers(config.cipherSuites())
                .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                .clientAuth(
                        switch (config.clientAuth()) {
                            case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
                            case OPTIONAL -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
                            case REQUIRED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
                        });
        try {
            // with no CA, an empty trust store: otherwise Netty loads the JDK's default CAs into the context
            builder.trustManager(OpenSslClientTrust.of(Trust.factory(material.caCertificates())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the TLS context: " + e.getMessage(), e);
        }
        if (!config.offeredApplicationProtocols().isEmpty()) {
            // a client offering none of ours is refused by screen(): BoringSSL through Netty would
            // just go on without ALPN
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    config.offeredApplicationProtocols()));
        }
        ReferenceCountedOpenSslServerContext context;
        try {
            context = (ReferenceCountedOpenSslServerContext) builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the OpenSSL TLS context: " + e.getMessage(), e);
        }
        configureResumption(context.sessionContext(), config.sessionTickets(), ticketKeys);
        return new OpenSslEngineFactory(context, config.sessionTickets(), config.offeredApplicationProtocols());
    }

    /**
     * Tickets (TLS 1.3 and 1.2) and the TLS 1.2 session cache on or off. Netty's contexts start
     * with tickets off.
     */
    private static void configureResumption(
            OpenSslServerSessionContext sessions, boolean sessionTickets, SessionTicketKeys ticketKeys) {
        if (!sessionTickets) {
            sessions.setSessionCacheEnabled(false);
        } else if (ticketKeys == null) {
            sessions.setTicketKeys(); // none given: BoringSSL makes its own and rotates them
        } else {
            sessions.setTicketKeys(nettyKeys(ticketKeys));
        }
    }

    @Override
    public void ticketKeys(SessionTicketKeys keys) {
        if (!sessionTickets) {
            throw new IllegalStateException("session tickets are off (sessionTickets false): no ticket keys to set");
        }
        context.sessionContext().setTicketKeys(nettyKeys(keys));
    }

    /**
     * Our 48-byte keys (name, AES key, HMAC key, as nginx and HAProxy lay them out) in Netty's
     * form, which takes the HMAC key before the AES key.
     */
    static OpenSslSessionTicketKey[] nettyKeys(SessionTicketKeys keys) {
        return keys.keys().stream()
                .map(key -> new OpenSslSessionTicketKey(
                        Arrays.copyOfRange(key, 0, 16),
                        Arrays.copyOfRange(key, 32, 48),
                        Arrays.copyOfRange(key, 16, 32)))
                .toArray(OpenSslSessionTicketKey[]::new);
    }

    @Override
    public SSLEngine newEngine() {
        try {
            context.retain();
        } catch (IllegalReferenceCountException e) {
            return null; // closed and freed by a reload meanwhile
        }
        try {
            ReferenceCountedOpenSslEngine engine =
                    (ReferenceCountedOpenSslEngine) context.newEngine(ByteBufAllocator.DEFAULT);
            if (!sessionTickets) {
                // Netty switches TLS 1.3 tickets on per engine unless a JVM-wide property says no
                SSL.setOptions(engine.sslPointer(), SSL.SSL_OP_NO_TICKET);
            }
            return engine;
        } finally {
            context.release();
        }
    }

    @Override
    public int packetBufferSize() {
        return SSL.SSL_MAX_ENCRYPTED_LENGTH;
    }

    /**
     * The packet size too: in JDK-compatible mode Netty's engine asks for room for a record's whole
     * ciphertext before it decrypts into a buffer, not only for its plaintext.
     */
    @Override
    public int applicationBufferSize() {
        return Math.max(SSL.SSL_MAX_ENCRYPTED_LENGTH, SSL.SSL_MAX_PLAINTEXT_LENGTH);
    }

    /**
     * RFC 7301 §3.2: a client offering ALPN protocols none of which the server speaks gets a fatal
     * {@code no_application_protocol} alert. Netty's OpenSSL binding can only go on without ALPN,
     * so the ClientHello is read here first.
     */
    /**
     * Always: Netty's engine rejects a record header beyond any record length itself, before
     * BoringSSL sees it, and sends no alert; the channel refuses it with record_overflow instead.
     */
    @Override
    public boolean screensClientHello() {
        return true;
    }

    @Override
    public Refusal screen(ByteBuffer firstRecord) {
        if (alpnProtocols.isEmpty()) {
            return null;
        }
        ClientHello hello = ClientHello.parse(firstRecord);
        if (hello == null || hello.alpnProtocols().isEmpty()) {
            return null;
        }
        for (String offered : hello.alpnProtocols()) {
            if (alpnProtocols.contains(offered)) {
                return null;
            }
        }
        return new Refusal(
                ALERT_NO_APPLICATION_PROTOCOL,
                "no application protocol: the client offered " + hello.alpnProtocols() + ", the server speaks "
                        + alpnProtocols);
    }

    /**
     * Netty reports a client certificate its trust manager refused as "General OpenSslEngine
     * problem", with the trust manager's exception as the cause: the failure reported names that
     * reason instead (JSSE reports the same one), e.g. "PKIX path validation failed: ... validity
     * check failed".
     */
    @Override
    public SSLException handshakeFailure(SSLException failure) {
        Throwable cause = failure.getCause();
        if (!(failure instanceof SSLHandshakeException)
                || !(cause instanceof CertificateException)
                || cause.getMessage() == null) {
            return failure;
        }
        SSLHandshakeException named = new SSLHandshakeException(cause.getMessage());
        named.initCause(failure);
        return named;
    }

    @Override
    public void free(SSLEngine engine) {
        ReferenceCountedOpenSslEngine openSsl = (ReferenceCountedOpenSslEngine) engine;
        if (openSsl.refCnt() > 0) {
            openSsl.release();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            context.release();
        }
    }

    @Override
    public int liveEngines() {
        int references = context.refCnt();
        return closed.get() ? references : Math.max(0, references - 1);
    }

    private static void checkKeys(TlsContext.Material material) {
        List<KeyMaterial> keys = new ArrayList<>(material.sniKeys().values());
        if (material.serverKey() != null) {
            keys.add(material.serverKey());
        }
        for (KeyMaterial key : keys) {
            String algorithm = key.privateKey().getAlgorithm();
            if (!algorithm.equals("EC") && !algorithm.equals("RSA")) {
                throw new InvalidConfigException(
                        "HttpsServerConfig",
                        "engine",
                        TlsEngine.OPENSSL,
                        "the OpenSSL engine takes EC and RSA keys, not " + algorithm + " (" + key
                                + "); use the JDK engine");
            }
        }
    }

    private static void checkSupported(HttpsServerConfig config) {
        List<String> unknownSuites = new ArrayList<>();
        for (String suite : config.cipherSuites()) {
            if (!OpenSsl.isCipherSuiteAvailable(suite)) {
                unknownSuites.add(suite);
            }
        }
        if (!unknownSuites.isEmpty()) {
            throw new InvalidConfigException(
                    "HttpsServerConfig",
                    "cipherSuites",
                    config.cipherSuites(),
                    "not supported by the OpenSSL engine (" + OpenSsl.versionString() + "): " + unknownSuites);
        }
        if (config.protocols().contains("TLSv1.3") && "BoringSSL".equals(OpenSsl.versionString())) {
            Set<String> tls13 = new HashSet<>(config.cipherSuites());
            tls13.retainAll(BORINGSSL_TLS13_SUITES);
            if (!tls13.equals(BORINGSSL_TLS13_SUITES)) {
                throw new InvalidConfigException(
                        "HttpsServerConfig",
                        "cipherSuites",
                        config.cipherSuites(),
                        "BoringSSL always offers all three TLS 1.3 suites "
                                + List.copyOf(BORINGSSL_TLS13_SUITES).stream()
                                        .sorted()
                                        .toList()
                                + " and cannot switch any off; list all three, or take TLSv1.3 out of the protocols");
            }
        }
    }

    /** Our SNI key manager, wrapped so that Netty converts each material to BoringSSL's form once. */
    private static KeyManagerFactory keyManagers(TlsContext.Material material, CertificateSelector selector) {
        KeyManager manager = new SniKeyManager(material.serverKey(), material.sniKeys(), selector);
        return new OpenSslCachingX509KeyManagerFactory(new FixedKeyManagerFactory(manager), CACHED_KEY_MATERIALS);
    }

    /** A key manager factory that hands out one ready key manager. */
    private static final class FixedKeyManagerFactory extends KeyManagerFactory {
        FixedKeyManagerFactory(KeyManager manager) {
            super(
                    new KeyManagerFactorySpi() {
                        @Override
                        protected void engineInit(KeyStore keyStore, char[] password) {}

                        @Override
                        protected void engineInit(ManagerFactoryParameters parameters) {}

                        @Override
                        protected KeyManager[] engineGetKeyManagers() {
                            return new KeyManager[] {manager};
                        }
                    },
                    null,
                    "httpsd-sni");
        }
    }
}
