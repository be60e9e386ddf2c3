package dev.httpsd.server;

import dev.httpsd.server.proxy.ProxyHeader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One client connection (ESP identifies it by its socket descriptor; we by {@link #id()}). Holds
 * the per-session user and transport contexts and the transport functions every byte goes
 * through. Safe to use from any thread.
 */
public interface HttpSession {

    /** The session id, unique within the server (ESP's {@code sockfd}). */
    int id();

    /** The server this session belongs to. */
    HttpServer server();

    /**
     * The client's address: the connection's peer, or with the PROXY protocol on ({@link
     * HttpServerConfig#proxyProtocol()}) the client address its header gave ({@link #proxiedFrom()}
     * is then the balancer).
     */
    InetSocketAddress remoteAddress();

    /**
     * The balancer the connection came through when a PROXY protocol header gave the client's
     * address; empty otherwise (no PROXY protocol, or a {@code LOCAL} header: the balancer's own
     * connection, a health check). Not in ESP.
     */
    default Optional<InetSocketAddress> proxiedFrom() {
        return Optional.empty();
    }

    /**
     * The PROXY protocol header the connection began with, its TLVs included (ALPN, authority, SSL
     * details, unique id); empty without the PROXY protocol. Not in ESP.
     */
    default Optional<ProxyHeader> proxyHeader() {
        return Optional.empty();
    }

    /** The local address the client connected to. */
    InetSocketAddress localAddress();

    /** The session's user context ({@code httpd_sess_get_ctx}), or {@code null}. */
    Object context();

    /**
     * Sets the user context ({@code httpd_sess_set_ctx}). A different previous context is freed
     * first with its own free callback. The context is freed with {@code free} when the session
     * closes, after the transport is closed and DISCONNECTED posted.
     *
     * @param free called once with the context when it is replaced or the session closes; may be
     *     {@code null}
     */
    void setContext(Object context, Consumer<Object> free);

    /** The transport context ({@code httpd_sess_get_transport_ctx}), e.g. the TLS session. */
    Object transportContext();

    /**
     * Sets the transport context ({@code httpd_sess_set_transport_ctx}); freed after the user
     * context when the session closes.
     *
     * @throws IllegalStateException if the transport is {@linkplain TransportSetup#lock locked} by a transport layer
     */
    void setTransportContext(Object context, Consumer<Object> free);

    /**
     * Replaces the receive function ({@code httpd_sess_set_recv_override}).
     *
     * @throws IllegalStateException if the transport is {@linkplain TransportSetup#lock locked} by a transport layer
     */
    void setRecvOverride(RecvFunction recv);

    /**
     * Replaces the send function ({@code httpd_sess_set_send_override}).
     *
     * @throws IllegalStateException if the transport is {@linkplain TransportSetup#lock locked} by a transport layer
     */
    void setSendOverride(SendFunction send);

    /**
     * Replaces the pending function ({@code httpd_sess_set_pending_override}).
     *
     * @throws IllegalStateException if the transport is {@linkplain TransportSetup#lock locked} by a transport layer
     */
    void setPendingOverride(PendingFunction pending);

    /**
     * Receives raw bytes through the session's receive function ({@code httpd_socket_recv}),
     * bypassing HTTP framing.
     *
     * @return bytes read, or -1 at end of stream
     */
    int recv(byte[] buffer, int offset, int length) throws IOException;

    /**
     * Sends raw bytes through the session's send function ({@code httpd_socket_send}); writes all
     * of them, subject to the send timeout. Atomic: no other write call to this session (a response,
     * a chunk, a frame, another send) puts bytes between them; see {@link HttpServer#queueWork} for
     * what that does and does not guarantee.
     */
    void send(byte[] buffer, int offset, int length) throws IOException;

    /** Bytes the transport holds beyond the socket ({@code pending_fn}). */
    int pending() throws IOException;

    /**
     * Closes the session ({@code httpd_sess_trigger_close}): at once if it is waiting for a
     * request, otherwise as soon as the current response is complete.
     */
    void triggerClose();

    /** Marks the session most recently used ({@code httpd_sess_update_lru_counter}). */
    void updateLruCounter();

    /** Whether the session is still open. */
    boolean isOpen();
}
