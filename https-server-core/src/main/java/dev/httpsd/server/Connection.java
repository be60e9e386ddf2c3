package dev.httpsd.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link ConnectionContext} of one session: what its protocols may do, delegated to the
 * session (states, policy), its transport (bytes) and its server (configuration, routing,
 * events). A separate object so that handlers, who hold the session, cannot reach it.
 */
final class Connection implements ConnectionContext {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final Session session;
    private final Transport transport;
    private final HttpServer server;

    Connection(Session session, Transport transport, HttpServer server) {
        this.session = session;
        this.transport = transport;
        this.server = server;
    }

    @Override
    public HttpSession session() {
        return session;
    }

    @Override
    public HttpServerConfig config() {
        return server.config();
    }

    @Override
    public Timeouts timeouts() {
        return server.timeouts();
    }

    @Override
    public InputBuffer input() {
        return transport.input();
    }

    @Override
    public void send(byte[] buffer, int offset, int length) throws IOException {
        transport.sendAll(buffer, offset, length);
    }

    @Override
    public void sendFile(FileChannel file, long position, long count) throws IOException {
        transport.sendFile(file, position, count, server.fileBuffers());
    }

    @Override
    public ReentrantLock writeLock() {
        return transport.writeLock();
    }

    @Override
    public EventSink events() {
        return server.events();
    }

    @Override
    public Http2Statistics http2Statistics() {
        return server.http2Statistics();
    }

    @Override
    public UriRouter.Route route(String path, HttpMethod method) {
        return server.router().route(path, method);
    }

    @Override
    public ErrorHandler errorHandler(HttpError error) {
        return server.errorHandler(error);
    }

    @Override
    public boolean closing() {
        return session.closing();
    }

    @Override
    public boolean serverStopping() {
        return server.isStopping();
    }

    @Override
    public void awaitAsync(CountDownLatch completed) throws InterruptedException {
        session.toAsync();
        try {
            completed.await();
        } finally {
            session.fromAsync();
        }
    }

    @Override
    public void requestServed() {
        session.requestServed();
    }

    @Override
    public void requestCompleted() {
        server.sessions().requestCompleted();
    }

    @Override
    public void lingerOnClose() {
        transport.lingerOnClose();
    }

    /**
     * Hang-ups, resets and timeouts are the client's business, not server errors: an I/O failure
     * after the peer was seen to go, a socket failure, or anything once the session is closing.
     */
    @Override
    public boolean isClientGone(Throwable failure) {
        return (transport.peerGone() && failure instanceof IOException)
                || failure instanceof SocketException
                || !session.isOpen();
    }

    @Override
    public void logFailure(String what, Throwable failure) {
        if (isClientGone(failure)) {
            LOG.log(Level.DEBUG, () -> session + ": " + what + ": " + failure);
        } else {
            LOG.log(Level.WARNING, session + ": " + what, failure);
        }
    }

    @Override
    public void closeAfter(String what, Throwable failure) {
        session.requestClose();
        logFailure(what, failure);
    }

    @Override
    public <T> Optional<T> observation(Object state, Class<T> type) {
        return Optional.ofNullable(RequestObservers.find(state, type));
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
