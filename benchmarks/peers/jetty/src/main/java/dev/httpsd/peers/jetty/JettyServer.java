package dev.httpsd.peers.jetty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12 with a plain core handler (no servlets), Jetty's defaults otherwise (TCP_NODELAY stated
 * explicitly). Arguments: port, PKCS#12 file, password, and optionally {@code h2}: then the
 * connector offers {@code h2} before {@code http/1.1} in ALPN through Jetty's HTTP/2 server module
 * (its default HTTP/2 settings), as Jetty's documentation sets up HTTP/2 over TLS. {@code
 * -Dpeer.idleTimeoutMillis=N} sets the connector's idle timeout.
 */
public final class JettyServer {

    private static final byte[] HELLO = "Hello World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES = new byte[16 * 1024 * 1024];

    private JettyServer() {}

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(args[1]);
        ssl.setKeyStorePassword(args[2]);
        ssl.setKeyStoreType("PKCS12");
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // clients connect to 127.0.0.1 with a localhost certificate
        http.addCustomizer(secure);
        boolean h2 = args.length > 3 && args[3].equals("h2");
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ServerConnector connector;
        if (h2) {
            // HTTP/2 forbids some TLS 1.2 suites; Jetty's comparator orders them last (TLS 1.3 is unaffected)
            ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
            HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(http);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            alpn.setDefaultProtocol(h1.getProtocol());
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, http2, h1);
        } else {
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), h1);
        }
        connector.setPort(Integer.parseInt(args[0]));
        connector.setAcceptQueueSize(1024);
        connector.setAcceptedTcpNoDelay(true);
        // Jetty's default (30 s) unless the idle-connections measurement, which holds connections
        // for minutes, raises it
        connector.setIdleTimeout(Long.getLong("peer.idleTimeoutMillis", connector.getIdleTimeout()));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                switch (Request.getPathInContext(request)) {
                    case "/hello" -> send(response, "text/plain", ByteBuffer.wrap(HELLO), callback);
                    case "/bytes" -> {
                        Fields query = Request.extractQueryParameters(request);
                        int n = Integer.parseInt(query.getValue("n") == null ? "0" : query.getValue("n"));
                        send(
                                response,
                                "application/octet-stream",
                                ByteBuffer.wrap(BYTES, 0, Math.min(n, BYTES.length)),
                                callback);
                    }
                    case "/echo" -> {
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                        Content.copy(request, response, callback);
                    }
                    default -> {
                        return false;
                    }
                }
                return true;
            }
        });
        server.start();
        System.out.println("tls-engine: Jetty, JSSE provider "
                + ssl.getSslContext().getProvider().getName() + ", acceptedTcpNoDelay "
                + connector.getAcceptedTcpNoDelay() + ", protocols " + connector.getProtocols());
    }

    private static void send(Response response, String type, ByteBuffer body, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, body, callback);
    }
}
