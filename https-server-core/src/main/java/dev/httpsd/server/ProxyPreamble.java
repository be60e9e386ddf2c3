package dev.httpsd.server;

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
     * Reads the header and makes its client the session's remote address.
     *
     * @return false when the connection is refused
     */
    static boolean admit(Session session, Transport transport, ProxyProtocol proxy, EventSink events) {
        try {
            session.proxied(transport.readProxyHeader(proxy));
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
}
