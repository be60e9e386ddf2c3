package dev.httpsd.server.http2;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.Protocol;
import dev.httpsd.server.ProtocolFactory;

/** HTTP/2 for the connections whose TLS handshake agreed on ALPN {@code h2}. */
public final class Http2ProtocolFactory implements ProtocolFactory {

    /** ALPN's name of HTTP/2 over TLS (RFC 9113 §3.2). */
    public static final String H2 = "h2";

    /** Called by {@link java.util.ServiceLoader}. */
    public Http2ProtocolFactory() {}

    @Override
    public String name() {
        return H2;
    }

    @Override
    public Protocol create(ConnectionContext connection) {
        return new Http2Protocol(connection);
    }
}
