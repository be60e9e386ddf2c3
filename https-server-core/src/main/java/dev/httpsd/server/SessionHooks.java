package dev.httpsd.server;

import dev.httpsd.server.proxy.ProxyProtocol;
import java.lang.System.Logger.Level;

/**
 * What runs at a session's two ends, in ESP's order: before serving, the PROXY protocol header
 * when the server requires one and the open hook (where TLS does its handshake); after serving,
 * the close sequence (reference §6.7). The {@link Session} decides when; this class is the order.
 */
final class SessionHooks {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private SessionHooks() {}

    /** Whether the session may be served: admitted by its PROXY header (if required) and the open hook. */
    static boolean open(Session session) {
        HttpServer server = session.server;
        ProxyProtocol proxy = server.config().proxyProtocol();
        if (proxy != null && !ProxyPreamble.admit(session, session.transport, proxy, server.events())) {
            return false;
        }
        OpenHook hook = server.config().openHook();
        if (hook != null) {
            try {
                hook.onOpen(session, session.transport);
            } catch (Exception e) {
                // e.g. a failed TLS handshake: the hook's layer reports it, ESP just closes
                LOG.log(Level.DEBUG, () -> session + ": open hook rejected the session: " + e);
                return false;
            }
        }
        EventSink events = server.events();
        if (events.enabled()) {
            events.post(new HttpServerEvent.OnConnected(session.id, session.remote));
        }
        return true;
    }

    /**
     * The close sequence: linger, close hook, transport closed, DISCONNECTED, user context freed,
     * transport context freed, the session slot given back.
     */
    static void close(Session session) {
        HttpServer server = session.server;
        HttpServerConfig config = server.config();
        Transport transport = session.transport;
        if (config.enableSoLinger()) {
            transport.lingerSeconds((int) config.lingerTimeout().toSeconds());
        }
        CloseHook hook = config.closeHook();
        if (hook != null) {
            try {
                hook.onClose(session);
            } catch (Throwable t) {
                LOG.log(Level.WARNING, session + ": close hook failed", t);
            }
        }
        // after the hook: a transport's last words (TLS close_notify) must precede the half-close
        transport.close();
        EventSink events = server.events();
        if (events.enabled()) {
            events.post(new HttpServerEvent.Disconnected(session.id, session.remote));
        }
        session.userContext.clear(session);
        session.transportContext.clear(session);
        // the slot before CLOSED: an acceptor waiting for it purges another victim only once this
        // one is CLOSED, which must mean its slot is free
        server.sessions().closed(session);
    }
}
