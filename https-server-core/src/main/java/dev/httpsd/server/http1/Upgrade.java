package dev.httpsd.server.http1;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.Protocol;
import dev.httpsd.server.UriHandler;

/**
 * A protocol an HTTP/1.1 request can switch the connection to (RFC 9110 §7.8), such as a
 * WebSocket. The HTTP/1.1 protocol asks each registered upgrade whether it takes a routed request;
 * the one that does answers the request (its {@code 101}, or a refusal) and returns the protocol
 * the connection goes on with. Nothing in the HTTP/1.1 loop knows which upgrades exist.
 */
public interface Upgrade {

    /** Whether this upgrade takes the request that was routed to {@code handler}. */
    boolean accepts(UriHandler handler, RequestHead head);

    /**
     * Answers the upgrade request: the switch and the next protocol, or a refusal and {@code
     * null}. The connection closes after a refusal (its persistence already says so).
     *
     * @param whenEnded for the next protocol to run once it has ended: the upgrade request is
     *     complete then
     * @throws Exception when application code refused by failing (answered as a handler failure)
     */
    Protocol upgrade(UriHandler handler, Exchange exchange, ConnectionContext connection, Runnable whenEnded)
            throws Exception;
}
