package dev.httpsd.server.tls;

import dev.httpsd.server.InvalidConfigException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server's current {@link SSLContext} and the per-connection parameters. The context sits in
 * a volatile field: {@link #reload} swaps it so new handshakes use new material while established
 * sessions keep theirs.
 */
final class TlsContext {

    /** Longer than the 7-day ticket lifetime limit: JSSE then issues no tickets at all. */
    private static final int NO_TICKETS_TIMEOUT_SECONDS = 604_801;

    private static final int TICKET_TIMEOUT_SECONDS = 86_400;

    private static final SNIMatcher ANY_HOST_NAME = new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
        @Override
        public boolean matches(SNIServerName serverName) {
            return true;
        }
    };

    private final HttpsServerConfig config;
    private final SSLParameters parameters;
    private volatile SSLContext current;
    private final BufferPool packetPool;
    private final BufferPool applicationPool;
    private final BufferPool writePool;
    private volatile Material material;

    /** The certificates currently presented to new handshakes, and the client CAs. */
    record Material(KeyMaterial serverKey, Map<String, KeyMaterial> sniKeys, List<X509Certificate> caCertificates) {}

    TlsContext(HttpsServerConfig config) {
        this.config = config;
        SSLContext context = config.sslContext() != null
                ? config.sslContext()
                : build(config.serverKey(), config.sniKeys(), config.certificateSelector(), config.caCertificates());
        this.parameters = parameters(context, config);
        this.material = new Material(config.serverKey(), config.sniKeys(), config.caCertificates());
        install(context);
        // pooled buffers sized for the largest record; sessions hold them only while a record is in flight
        var sizes = createEngine().getSession();
        int pooled = Math.max(64, Math.min(4096, config.httpd().maxOpenSockets()));
        this.packetPool = new BufferPool(sizes.getPacketBufferSize(), pooled);
        this.applicationPool = new BufferPool(sizes.getApplicationBufferSize(), pooled);
        // two records per write system call: ~33 KiB stays within one loopback TCP segment (MSS
        // 65,483), where four (~67 KiB) made every write two segments and cost 15 % of the 1 MiB
        // throughput (benchmark c: 2,038 -> 2,365 MiB/s)
        this.writePool = new BufferPool(2 * sizes.getPacketBufferSize(), pooled / 4);
    }

    /** A server-side engine for one new connection, with the configured parameters. */
    SSLEngine createEngine() {
        SSLEngine engine = current.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** A TLS channel over a connection's streams, borrowing large buffers from the server's pools. */
    TlsChannel channel(java.io.InputStream in, java.io.OutputStream out) {
        return new TlsChannel(createEngine(), in, out, packetPool, applicationPool, writePool);
    }

    SSLParameters parameters() {
        return parameters;
    }

    boolean clientAuth() {
        return config.clientAuth() != ClientAuth.NONE;
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
        install(build(serverKey, sniKeys, config.certificateSelector(), caCertificates));
        material = new Material(serverKey, sniKeys, caCertificates);
    }

    void reload(SSLContext context) {
        install(context);
        material = new Material(null, Map.of(), List.of());
    }

    Material material() {
        return material;
    }

    private void install(SSLContext context) {
        context.getServerSessionContext()
                .setSessionTimeout(config.sessionTickets() ? TICKET_TIMEOUT_SECONDS : NO_TICKETS_TIMEOUT_SECONDS);
        this.current = context;
    }

    private static SSLContext build(
            KeyMaterial serverKey,
            Map<String, KeyMaterial> sniKeys,
            CertificateSelector selector,
            List<X509Certificate> caCertificates) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keyManagers = {new SniKeyManager(serverKey, sniKeys, selector)};
            context.init(keyManagers, trustManagers(caCertificates), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the TLS context: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(List<X509Certificate> caCertificates) throws GeneralSecurityException {
        if (caCertificates.isEmpty()) {
            return null;
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            trust.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < caCertificates.size(); i++) {
            trust.setCertificateEntry("ca-" + i, caCertificates.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory.getTrustManagers();
    }

    private static SSLParameters parameters(SSLContext context, HttpsServerConfig config) {
        SSLParameters supported = context.getSupportedSSLParameters();
        List<String> unknownProtocols = new ArrayList<>(config.protocols());
        unknownProtocols.removeAll(Arrays.asList(supported.getProtocols()));
        if (!unknownProtocols.isEmpty()) {
            throw new InvalidConfigException(
                    "HttpsServerConfig",
                    "protocols",
                    config.protocols(),
                    "not supported by this JVM: " + unknownProtocols);
        }
        List<String> unknownSuites = new ArrayList<>(config.cipherSuites());
        unknownSuites.removeAll(Arrays.asList(supported.getCipherSuites()));
        if (!unknownSuites.isEmpty()) {
            throw new InvalidConfigException(
                    "HttpsServerConfig",
                    "cipherSuites",
                    config.cipherSuites(),
                    "not supported by this JVM: " + unknownSuites);
        }
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(config.protocols().toArray(String[]::new));
        parameters.setCipherSuites(config.cipherSuites().toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(true);
        // with a matcher JSSE records the name in the session and refuses to resume it under
        // another name (RFC 6066 §3); without one a session, and the certificate chosen for its
        // name, could be resumed by a client asking for a different host
        parameters.setSNIMatchers(List.of(ANY_HOST_NAME));
        if (!config.alpnProtocols().isEmpty()) {
            parameters.setApplicationProtocols(config.alpnProtocols().toArray(String[]::new));
        }
        switch (config.clientAuth()) {
            case REQUIRED -> parameters.setNeedClientAuth(true);
            case OPTIONAL -> parameters.setWantClientAuth(true);
            case NONE -> {}
        }
        return parameters;
    }
}
