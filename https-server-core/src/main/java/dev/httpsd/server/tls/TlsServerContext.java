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
 * <pre>{@code
 * SSLContext current = TlsServerContext.of(request.session().server()).orElseThrow().sslContext();
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

    /** The {@link SSLContext} new handshakes use now; a reload replaces it. */
    public SSLContext sslContext() {
        return context.sslContext();
    }

    /** Whether and how clients are asked for a certificate. */
    public ClientAuth clientAuth() {
        return context.clientAuthMode();
    }

    @Override
    public String toString() {
        return "TlsServerContext[" + context.sslContext().getProtocol() + ", clientAuth=" + clientAuth() + "]";
    }
}
