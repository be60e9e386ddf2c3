package dev.httpsd.benchmarks;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.ErrorHandler;
import dev.httpsd.server.EventSink;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.InputBuffer;
import dev.httpsd.server.ServerEvent;
import dev.httpsd.server.Timeouts;
import dev.httpsd.server.UriRouter;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/** A connection for micro-benchmarks: default configuration, no listeners, sends only counted. */
final class DiscardingConnection implements ConnectionContext {

    private final HttpServerConfig config = HttpServerConfig.builder()
            .bindAddress(InetAddress.getLoopbackAddress())
            .build();
    private final Timeouts timeouts = new Timeouts(30_000, 20_000, 20_000_000_000L, 20_000_000_000L, 250);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final EventSink events = new EventSink() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void post(ServerEvent event) {}
    };
    private long written;

    long written() {
        return written;
    }

    @Override
    public HttpSession session() {
        throw new UnsupportedOperationException("no session behind a benchmark connection");
    }

    @Override
    public HttpServerConfig config() {
        return config;
    }

    @Override
    public Timeouts timeouts() {
        return timeouts;
    }

    @Override
    public InputBuffer input() {
        throw new UnsupportedOperationException("a benchmark connection reads nothing");
    }

    @Override
    public void send(byte[] buffer, int offset, int length) {
        writeLock.lock();
        try {
            written += length;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public ReentrantLock writeLock() {
        return writeLock;
    }

    @Override
    public EventSink events() {
        return events;
    }

    @Override
    public UriRouter.Route route(String path, HttpMethod method) {
        return new UriRouter.NotFound();
    }

    @Override
    public ErrorHandler errorHandler(HttpError error) {
        return null;
    }

    @Override
    public boolean closing() {
        return false;
    }

    @Override
    public void awaitAsync(CountDownLatch completed) throws InterruptedException {
        completed.await();
    }

    @Override
    public void requestServed() {}

    @Override
    public void requestCompleted() {}

    @Override
    public void lingerOnClose() {}

    @Override
    public boolean isClientGone(Throwable failure) {
        return false;
    }

    @Override
    public void logFailure(String what, Throwable failure) {}

    @Override
    public void closeAfter(String what, Throwable failure) {}

    @Override
    public <T> Optional<T> observation(Object state, Class<T> type) {
        return Optional.empty();
    }
}
