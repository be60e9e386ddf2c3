package dev.httpsd.server.tls;

import dev.httpsd.server.InvalidConfigException;
import java.security.GeneralSecurityException;
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
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;

/** {@link TlsEngine#JDK}: engines of an {@link SSLContext} (JSSE), with the configured parameters. */
final class JdkEngineFactory implements EngineFactory {

    /** Longer than the 7-day ticket lifetime limit: JSSE then issues no tickets at all. */
    private static final int NO_TICKETS_TIMEOUT_SECONDS = 604_801;

    private static final int TICKET_TIMEOUT_SECONDS = 86_400;

    private static final SNIMatcher ANY_HOST_NAME = new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
        @Override
        public boolean matches(SNIServerName serverName) {
            return true;
        }
    };

    private final SSLContext context;
    private final SSLParameters parameters;
    private final int packetBufferSize;
    private final int applicationBufferSize;

    JdkEngineFactory(SSLContext context, SSLParameters parameters, boolean sessionTickets) {
        this.context = context;
        this.parameters = parameters;
        context.getServerSessionContext()
                .setSessionTimeout(sessionTickets ? TICKET_TIMEOUT_SECONDS : NO_TICKETS_TIMEOUT_SECONDS);
        SSLSession sizes = newEngine().getSession();
        this.packetBufferSize = sizes.getPacketBufferSize();
        this.applicationBufferSize = sizes.getApplicationBufferSize();
    }

    /** The context this factory makes engines of. */
    SSLContext sslContext() {
        return context;
    }

    @Override
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters);
        return engine;
    }

    @Override
    public int packetBufferSize() {
        return packetBufferSize;
    }

    @Override
    public int applicationBufferSize() {
        return applicationBufferSize;
    }

    /** A context choosing certificates with {@link SniKeyManager} and trusting {@code caCertificates}. */
    static SSLContext build(
            KeyMaterial serverKey,
            Map<String, KeyMaterial> sniKeys,
            CertificateSelector selector,
            List<X509Certificate> caCertificates) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keyManagers = {new SniKeyManager(serverKey, sniKeys, selector)};
            context.init(
                    keyManagers,
                    caCertificates.isEmpty()
                            ? null
                            : Trust.factory(caCertificates).getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * The parameters every engine gets, checked against what {@code context} supports.
     *
     * @throws InvalidConfigException naming the protocols or cipher suites the JVM lacks
     */
    static SSLParameters parameters(SSLContext context, HttpsServerConfig config) {
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
        if (!config.offeredApplicationProtocols().isEmpty()) {
            parameters.setApplicationProtocols(
                    config.offeredApplicationProtocols().toArray(String[]::new));
        }
        switch (config.clientAuth()) {
            case REQUIRED -> parameters.setNeedClientAuth(true);
            case OPTIONAL -> parameters.setWantClientAuth(true);
            case NONE -> {}
        }
        return parameters;
    }
}
