package dev.httpsd.server.tls;

import dev.httpsd.server.HttpServer;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server's TLS context, shared by all its sessions: what ESP's {@code
 * httpd_get_global_transport_ctx} returns for an {@code esp_https_server}. In SECURE mode {@link
 * HttpServer#globalTransportContext()} of {@link HttpsServer#httpServer()} returns it; in INSECURE
 * mode there is none. It reads the server's live state: after a {@link HttpsServer#reload reload}
 * it gives the new {@link SSLContext}.
 *
 * <p>With the {@link TlsEngine#OPENSSL OpenSSL engine} there is no {@link SSLContext}: BoringSSL
 * holds the shared state natively, so {@link #sslContext()} throws; ask {@link #engine()} first.
 * The material presented is on {@link HttpsServer#serverKey()} and {@link HttpsServer#sniKeys()}
 * with either engine.
 *
 * <pre>{@code
 * TlsServerContext tls = TlsServerContext.of(request.session().server()).orElseThrow();
 * if (tls.engine() == TlsEngine.JDK) {
 *     SSLContext current = tls.sslContext();
 * }
 * }</pre>
 */
public final class TlsServerContext {

    private final TlsContext context;

    TlsServerContext(TlsContext context) {
        this.context = context;
    }

    /** The TLS context of an HTTPS server in SECURE mode; empty for any other server. */
    public static Optional<TlsServerContext> of(HttpServer server) {
        return server.globalTransportContext() instanceof TlsServerContext tls ? Optional.of(tls) : Optional.empty();
    }

    /** The TLS implementation the server's handshakes run on. */
    public TlsEngine engine() {
        return context.engine();
    }

    /**
     * The {@link SSLContext} new handshakes use now; a reload replaces it.
     *
     * @throws IllegalStateException with the {@link TlsEngine#OPENSSL OpenSSL engine}, which has no
     *     {@link SSLContext}
     */
    public SSLContext sslContext() {
        SSLContext current = context.sslContext();
        if (current == null) {
            throw new IllegalStateException("the " + engine() + " engine has no SSLContext (it is the JDK engine's"
                    + " own): check engine() before asking; the presented certificates are on HttpsServer's"
                    + " serverKey() and sniKeys()");
        }
        return current;
    }

    /** Whether and how clients are asked for a certificate. */
    public ClientAuth clientAuth() {
        return context.clientAuthMode();
    }

    @Override
    public String toString() {
        SSLContext current = context.sslContext();
        return "TlsServerContext[" + engine() + (current == null ? "" : " " + current.getProtocol()) + ", clientAuth="
                + clientAuth() + "]";
    }
}
