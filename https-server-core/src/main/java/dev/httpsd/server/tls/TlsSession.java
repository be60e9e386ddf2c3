package dev.httpsd.server.tls;

import dev.httpsd.server.HttpSession;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A session's TLS state: its transport context in an HTTPS server ({@code esp_tls_t}). Handlers
 * read the negotiated parameters with {@code TlsSession.of(request.session())}.
 */
public final class TlsSession {

    private final TlsChannel channel;
    private final Socket socket;
    private final SSLSession session;
    private final List<X509Certificate> peerCertificates;
    private final String protocol;
    private final String cipherSuite;
    private final String serverName;
    private final String alpn;
    private final long handshakeNanos;
    private volatile boolean announced;

    /**
     * Reads what the handshake agreed on now: the OpenSSL engine answers some of it from native
     * state that is gone once the session is freed.
     */
    TlsSession(TlsChannel channel, Socket socket, boolean clientAuth, long handshakeNanos) {
        this.channel = channel;
        this.socket = socket;
        this.handshakeNanos = handshakeNanos;
        this.session = channel.engine().getSession();
        this.protocol = session.getProtocol();
        this.cipherSuite = session.getCipherSuite();
        this.serverName = SniKeyManager.serverName(session);
        this.alpn = channel.engine().getApplicationProtocol();
        this.peerCertificates = clientAuth ? readPeerCertificates(session) : List.of();
    }

    /** The TLS session of an HTTPS server's session, if it has one. */
    public static Optional<TlsSession> of(HttpSession session) {
        return session.transportContext() instanceof TlsSession tls ? Optional.of(tls) : Optional.empty();
    }

    /** The negotiated protocol, e.g. {@code TLSv1.3}. */
    public String protocol() {
        return protocol;
    }

    /** The negotiated cipher suite, e.g. {@code TLS_AES_128_GCM_SHA256}. */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** The host name the client asked for (SNI), if any, in lower case. */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /** The ALPN protocol agreed on, if any (e.g. {@code http/1.1}). */
    public Optional<String> applicationProtocol() {
        return alpn == null || alpn.isEmpty() ? Optional.empty() : Optional.of(alpn);
    }

    /**
     * The client's verified certificate chain, leaf first; empty when the client sent none or
     * client authentication is off (it is only looked up when it is on).
     */
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    /** How long the handshake took, from the first byte read to its end. */
    public Duration handshakeDuration() {
        return Duration.ofNanos(handshakeNanos);
    }

    /**
     * The engine's session, for anything else: JSSE's, or Netty's OpenSSL session with the
     * OpenSSL engine (whose native parts are gone once the connection is closed).
     */
    public SSLSession sslSession() {
        return session;
    }

    TlsChannel channel() {
        return channel;
    }

    /** The TCP socket under the channel: closed to end a close_notify that cannot be sent. */
    Socket socket() {
        return socket;
    }

    /** The application was told of this session (CREATE, HTTPS ON_CONNECTED): its close is due too. */
    void announce() {
        announced = true;
    }

    boolean announced() {
        return announced;
    }

    private static List<X509Certificate> readPeerCertificates(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            X509Certificate[] x509 = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) {
                x509[i] = (X509Certificate) chain[i];
            }
            return List.of(x509);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return "TlsSession[" + protocol() + ", " + cipherSuite() + "]";
    }
}
