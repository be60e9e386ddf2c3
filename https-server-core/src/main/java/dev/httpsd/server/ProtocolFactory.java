package dev.httpsd.server;

/**
 * Makes the {@link Protocol} a new connection starts with, for one application-protocol name
 * (TLS ALPN's names: {@code http/1.1}, later {@code h2}). The server finds its factories with
 * {@link java.util.ServiceLoader} when it starts (one instance per server), so that this package
 * never names the protocol packages; a transport layer picks one by name through {@link
 * TransportSetup#applicationProtocol(String)}.
 *
 * <p>Part of the connection SPI that the server's protocol packages implement: not an application
 * extension point, and without any compatibility promise.
 */
public interface ProtocolFactory {

    /** The name of HTTP/1.1, the protocol of a connection whose transport chose none. */
    String HTTP_1_1 = "http/1.1";

    /** The application-protocol name this factory's protocol is chosen by. */
    String name();

    /** The protocol for one new connection. */
    Protocol create(ConnectionContext connection);
}
