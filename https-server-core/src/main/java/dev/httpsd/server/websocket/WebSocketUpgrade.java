package dev.httpsd.server.websocket;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.Protocol;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.WebSocketPreHandshake;
import dev.httpsd.server.http1.Exchange;
import dev.httpsd.server.http1.RequestHead;
import dev.httpsd.server.http1.Response;
import dev.httpsd.server.http1.Upgrade;
import java.lang.System.Logger.Level;

/**
 * The WebSocket opening handshake (RFC 6455 §4.2) as an HTTP/1.1 {@link Upgrade}: checks the
 * request, runs the handler's pre-handshake check, answers {@code 101} and hands the connection to
 * a {@link WebSocketProtocol}. A request that cannot be upgraded gets an HTTP answer and the
 * connection closes; on an ESP-compatible server it gets no answer, as from ESP.
 */
public final class WebSocketUpgrade implements Upgrade {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    @Override
    public boolean accepts(UriHandler handler, RequestHead head) {
        return handler.isWebSocket() && head.method() == HttpMethod.GET && WebSocketHandshake.isUpgrade(head);
    }

    @Override
    public Protocol upgrade(UriHandler handler, Exchange exchange, ConnectionContext connection, Runnable whenEnded)
            throws Exception {
        RequestHead head = exchange.head();
        Response response = exchange.response();
        boolean accepted = connection.config().espIdfCompatible()
                ? acceptable(handler, exchange, connection) && !response.isCommitted()
                : accepted(handler, exchange, connection);
        if (!accepted) {
            return null;
        }
        String subprotocol =
                WebSocketHandshake.subprotocol(head, handler.webSocket().supportedSubprotocol());
        byte[] switching = WebSocketHandshake.response(head, subprotocol);
        response.sendRaw(switching, 0, switching.length);
        connection.requestServed();
        return new WebSocketProtocol(connection, handler, exchange, response, subprotocol, whenEnded);
    }

    /**
     * The handshake checks with an HTTP answer when one fails: 426 for another version, 400 for a
     * malformed handshake, 403 (or the check's own answer) when the pre-handshake check refuses.
     */
    private static boolean accepted(UriHandler handler, Exchange exchange, ConnectionContext connection)
            throws Exception {
        RequestHead head = exchange.head();
        Response response = exchange.response();
        if (!WebSocketHandshake.versionSupported(head)) {
            response.status(426).contentType("text/plain").header("Sec-WebSocket-Version", "13");
            response.send("Only WebSocket version 13 is supported\n");
            return false;
        }
        String problem = WebSocketHandshake.problem(head);
        if (problem != null) {
            LOG.log(Level.DEBUG, () -> connection + ": WebSocket handshake refused: " + problem);
            response.sendError(HttpError.BAD_REQUEST_400, "WebSocket handshake refused: " + problem);
            return false;
        }
        WebSocketPreHandshake check = handler.webSocket().preHandshake();
        if (check == null) {
            return true;
        }
        boolean accepted = check.accept(exchange, response);
        if (!accepted || response.isCommitted()) {
            if (!response.isCommitted()) {
                response.sendError(HttpError.FORBIDDEN_403, null);
            }
            return false;
        }
        return true;
    }

    /**
     * ESP's handshake checks, answering nothing: version 13 and a key, then the pre-handshake
     * callback. A callback that throws is logged and refuses, as its non-{@code ESP_OK} result.
     */
    private static boolean acceptable(UriHandler handler, Exchange exchange, ConnectionContext connection) {
        RequestHead head = exchange.head();
        String problem = WebSocketHandshake.versionSupported(head) ? WebSocketHandshake.problem(head) : "version";
        if (problem != null) {
            LOG.log(Level.DEBUG, () -> connection + ": WebSocket handshake failed (" + problem + "), closing");
            return false;
        }
        WebSocketPreHandshake check = handler.webSocket().preHandshake();
        if (check == null) {
            return true;
        }
        try {
            if (check.accept(exchange, exchange.response())) {
                return true;
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, connection + ": WebSocket pre-handshake check for " + handler.uri() + " failed", e);
        }
        return false;
    }
}
