package dev.httpsd.server;

import dev.httpsd.server.proxy.ProxyHeader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What handlers and transport layers see of a session ({@code HttpSession}, ESP's session calls):
 * its identity, its user and transport contexts, its transport functions and raw I/O, its LRU
 * stamp. The {@link Session} that owns the connection adds the states and the close sequence.
 */
abstract class SessionApi implements HttpSession {

    final HttpServer server;
    final int id;
    final Transport transport;
    /**
     * The peer, or the client a PROXY header named: replaced (by the owner, before the open hook)
     * before any handler, hook or event sees the session.
     */
    volatile InetSocketAddress remote;
    /** The balancer when a PROXY header replaced {@link #remote}; null otherwise. */
    private volatile InetSocketAddress proxiedFrom;

    private volatile ProxyHeader proxyHeader;
    final InetSocketAddress local;
    final ContextSlot userContext = new ContextSlot("user context");
    final ContextSlot transportContext = new ContextSlot("transport context");
    private volatile long lruCounter;
    private volatile int servedRequests;

    SessionApi(HttpServer server, int id, Socket socket) throws IOException {
        this.server = server;
        this.id = id;
        this.transport =
                new Transport(this, socket, server.config().sendWaitTimeout(), server.events(), server.idlePoller());
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
        this.lruCounter = server.sessions().lruClock();
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public HttpServer server() {
        return server;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public Optional<InetSocketAddress> proxiedFrom() {
        return Optional.ofNullable(proxiedFrom);
    }

    @Override
    public Optional<ProxyHeader> proxyHeader() {
        return Optional.ofNullable(proxyHeader);
    }

    /**
     * The PROXY header the connection began with: its client, if it names one, is the session's
     * remote address from now on, and the peer becomes {@link #proxiedFrom()}.
     */
    void proxied(ProxyHeader header) {
        proxyHeader = header;
        header.clientAddress().ifPresent(client -> {
            proxiedFrom = remote;
            remote = client;
        });
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public Object context() {
        return userContext.get();
    }

    @Override
    public void setContext(Object context, Consumer<Object> free) {
        userContext.set(context, free, this);
    }

    @Override
    public Object transportContext() {
        return transportContext.get();
    }

    @Override
    public void setTransportContext(Object context, Consumer<Object> free) {
        transport.requireUnlocked();
        transportContext.set(context, free, this);
    }

    @Override
    public void setRecvOverride(RecvFunction recv) {
        transport.recvOverride(recv);
    }

    @Override
    public void setSendOverride(SendFunction send) {
        transport.sendOverride(send);
    }

    @Override
    public void setPendingOverride(PendingFunction pending) {
        transport.pendingOverride(pending);
    }

    @Override
    public int recv(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        return transport.recv(buffer, offset, length, server.timeouts().recvMillis());
    }

    @Override
    public void send(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        transport.sendAll(buffer, offset, length);
    }

    @Override
    public int pending() throws IOException {
        return transport.pending();
    }

    @Override
    public void updateLruCounter() {
        lruCounter = server.sessions().nextLruTick();
    }

    @Override
    public String toString() {
        return "session " + id + " (" + remote + ")";
    }

    Transport transport() {
        return transport;
    }

    long lruCounter() {
        return lruCounter;
    }

    void requestServed() {
        servedRequests++;
        lruCounter = server.sessions().nextLruTick();
    }

    /** Whether a request was served: only such a session may be purged (esp-idf PR #17470). */
    boolean hasServed() {
        return servedRequests > 0;
    }
}
