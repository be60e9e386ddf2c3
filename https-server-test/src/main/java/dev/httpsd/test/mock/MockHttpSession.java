package dev.httpsd.test.mock;

import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.PendingFunction;
import dev.httpsd.server.RecvFunction;
import dev.httpsd.server.SendFunction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A session without a socket for {@link MockHttpRequest}: contexts with their free callbacks,
 * raw sends recorded, {@link #triggerClose()} and the LRU counter observable. It belongs to no
 * server: {@link #server()} throws {@link UnsupportedOperationException}.
 * Safe to use from any thread, like a real session.
 */
public final class MockHttpSession implements HttpSession {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final int id;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private Object context;
    private Consumer<Object> freeContext;
    private Object transportContext;
    private Consumer<Object> freeTransportContext;
    private RecvFunction recvOverride;
    private SendFunction sendOverride;
    private PendingFunction pendingOverride;
    private volatile boolean open = true;
    private final AtomicInteger lruUpdates = new AtomicInteger();

    /** A session from {@code 127.0.0.1:50000} to {@code 127.0.0.1:8443} with a fresh id. */
    public MockHttpSession() {
        this(
                IDS.incrementAndGet(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 8443));
    }

    public MockHttpSession(int id, InetSocketAddress remoteAddress, InetSocketAddress localAddress) {
        this.id = id;
        this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
        this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
    }

    @Override
    public int id() {
        return id;
    }

    /** @throws UnsupportedOperationException always: a mock session belongs to no server */
    @Override
    public HttpServer server() {
        throw new UnsupportedOperationException(
                "a mock session belongs to no server; test code that needs one with a real server (@SpringBootTest)");
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public Object context() {
        lock.lock();
        try {
            return context;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setContext(Object context, Consumer<Object> free) {
        Object previous;
        Consumer<Object> previousFree;
        lock.lock();
        try {
            previous = this.context;
            previousFree = this.freeContext;
            this.context = context;
            this.freeContext = free;
        } finally {
            lock.unlock();
        }
        if (previous != null && previous != context && previousFree != null) {
            previousFree.accept(previous);
        }
    }

    @Override
    public Object transportContext() {
        lock.lock();
        try {
            return transportContext;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setTransportContext(Object context, Consumer<Object> free) {
        lock.lock();
        try {
            this.transportContext = context;
            this.freeTransportContext = free;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setRecvOverride(RecvFunction recv) {
        lock.lock();
        try {
            this.recvOverride = recv;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setSendOverride(SendFunction send) {
        lock.lock();
        try {
            this.sendOverride = send;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setPendingOverride(PendingFunction pending) {
        lock.lock();
        try {
            this.pendingOverride = pending;
        } finally {
            lock.unlock();
        }
    }

    /** The receive override a handler installed, or {@code null}. */
    public RecvFunction recvOverride() {
        return recvOverride;
    }

    /** The send override a handler installed, or {@code null}. */
    public SendFunction sendOverride() {
        return sendOverride;
    }

    /** The pending override a handler installed, or {@code null}. */
    public PendingFunction pendingOverride() {
        return pendingOverride;
    }

    /** @throws UnsupportedOperationException always: nothing arrives on a mock session */
    @Override
    public int recv(byte[] buffer, int offset, int length) throws IOException {
        throw new UnsupportedOperationException(
                "a mock session receives nothing; give the request its body with MockHttpRequest.Builder.body");
    }

    /** Records the bytes; {@link #sentBytes()} returns them. */
    @Override
    public void send(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        lock.lock();
        try {
            if (!open) {
                throw new IOException("session " + id + " is closed");
            }
            sent.write(buffer, offset, length);
        } finally {
            lock.unlock();
        }
    }

    /** Every byte sent through {@link #send} so far. */
    public byte[] sentBytes() {
        lock.lock();
        try {
            return sent.toByteArray();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int pending() {
        return 0;
    }

    /** Closes the session and frees its contexts in the server's order: user context, then transport context. */
    @Override
    public void triggerClose() {
        Object user;
        Consumer<Object> freeUser;
        Object transport;
        Consumer<Object> freeTransport;
        lock.lock();
        try {
            if (!open) {
                return;
            }
            open = false;
            user = context;
            freeUser = freeContext;
            transport = transportContext;
            freeTransport = freeTransportContext;
        } finally {
            lock.unlock();
        }
        if (user != null && freeUser != null) {
            freeUser.accept(user);
        }
        if (transport != null && freeTransport != null) {
            freeTransport.accept(transport);
        }
    }

    @Override
    public void updateLruCounter() {
        lruUpdates.incrementAndGet();
    }

    /** How often {@link #updateLruCounter()} was called. */
    public int lruUpdates() {
        return lruUpdates.get();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String toString() {
        return "MockHttpSession " + id + " from " + remoteAddress;
    }
}
