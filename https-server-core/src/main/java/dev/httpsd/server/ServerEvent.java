package dev.httpsd.server;

import java.net.InetSocketAddress;

/**
 * An event posted by a server: ESP-IDF's {@code ESP_HTTP_SERVER_EVENT} family ({@link
 * HttpServerEvent}) or a transport layer's family (the HTTPS events).
 */
public interface ServerEvent {

    /** The session the event belongs to, or -1 for server-wide events (START, STOP). */
    int sessionId();

    /** The peer of the session, or {@code null} for server-wide events. */
    InetSocketAddress remoteAddress();

    /** The event id as ESP names it, e.g. {@code ON_CONNECTED}. */
    String name();

    /** A server-wide event (START, STOP): no session, no peer. */
    interface ServerWide extends ServerEvent {
        @Override
        default int sessionId() {
            return -1;
        }

        @Override
        default InetSocketAddress remoteAddress() {
            return null;
        }
    }
}
