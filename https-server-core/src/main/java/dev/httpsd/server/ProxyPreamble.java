package dev.httpsd.server;

import dev.httpsd.server.proxy.ProxyHeader;
import dev.httpsd.server.proxy.ProxyHeaderException;
import dev.httpsd.server.proxy.ProxyProtocol;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The pre-open step of the PROXY protocol ({@link HttpServerConfig#proxyProtocol()}): the header
 * comes before any other byte, so before TLS, and before ON_CONNECTED, the open hook or a handler
 * sees the session's remote address. A refused connection (not a trusted source, no valid header
 * in time) closes unserved: logged at DEBUG with the reason, and posted as PROXY_REFUSED.
 */
final class ProxyPreamble {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private ProxyPreamble() {}

    /**
     * Reads the header and makes its client the session's remote address. Straight from the
     * socket and before any transport layer: exactly the header's bytes (a version 1 line byte by
     * byte), so the client's first bytes stay in the socket for the TLS handshake or the first
     * request. Its own timeout, under a socket timeout; the watchdog's deadlines are not armed yet.
     *
     * @return false when the connection is refused: the peer is not a trusted source or sent no
     *     valid header in time
     */
    static boolean admit(Session session, Transport transport, ProxyProtocol proxy, EventSink events) {
        try {
            session.proxied(readHeader(transport, proxy));
            return true;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> session + ": refused: " + e.getMessage());
            if (events.enabled()) {
                // a reset before the header is complete is a close too
                ProxyHeaderException.Reason reason = e instanceof ProxyHeaderException refused
                        ? refused.reason()
                        : ProxyHeaderException.Reason.CLOSED;
                events.post(new HttpServerEvent.ProxyRefused(session.id(), session.remote, reason, e.getMessage()));
            }
            return false;
        }
    }

    private static ProxyHeader readHeader(Transport transport, ProxyProtocol proxy) throws IOException {
        try {
            return proxy.read(transport.socket(), transport.rawInput());
        } finally {
            transport.forgetSoTimeout();
        }
    }
}
