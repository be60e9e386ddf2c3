package dev.httpsd.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jdk.net.ExtendedSocketOptions;

/**
 * The listening port's platform thread. Takes a session slot before {@code accept()}; with every
 * slot taken it stops accepting (the kernel backlog holds new clients), unless LRU purge is on:
 * then it accepts the waiting client and closes the least-recently-used idle session to make
 * room, as ESP does. An accepted socket gets its options and becomes a {@link Session} on a
 * virtual thread of its own.
 *
 * <p>A graceful stop does not close the listener under queued clients: {@link #drainBacklog}
 * queues a marker connection of its own behind them, and the acceptor closes the listener when it
 * reaches the marker, every client before it accepted.
 */
final class Acceptor implements Runnable {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final HttpServer server;
    private final HttpServerConfig config;
    private final ServerSocket listener;
    private final SessionRegistry sessions;
    private final Semaphore slots;
    private final boolean lruPurge;
    /** Released when the acceptor has ended: at the drain's marker, or when the listener closed. */
    private final CountDownLatch ended = new CountDownLatch(1);
    /** The local address of the drain's marker connection, once a drain has begun. */
    private volatile SocketAddress marker;

    Acceptor(HttpServer server, ServerSocket listener, SessionRegistry sessions) {
        this.server = server;
        this.config = server.config();
        this.listener = listener;
        this.sessions = sessions;
        this.slots = sessions.slots();
        this.lruPurge = config.lruPurgeEnable();
    }

    /**
     * The listening socket, bound to the configured address and port with the configured backlog.
     *
     * @throws ListenException when the address or port cannot be bound, naming both
     */
    static ServerSocket bind(HttpServerConfig config) throws IOException {
        // a channel's socket: accepted sockets then have a channel too, to which a file goes with
        // transferTo (sendFile: the kernel's sendfile, no copy through the JVM)
        ServerSocket listener = ServerSocketChannel.open().socket();
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.serverPort());
        try {
            listener.setReuseAddress(true);
            listener.bind(address, config.backlogConn());
        } catch (IOException e) {
            listener.close();
            throw new ListenException(address, e);
        }
        return listener;
    }

    @Override
    public void run() {
        try {
            acceptUntilClosed();
        } finally {
            ended.countDown();
        }
    }

    private void acceptUntilClosed() {
        while (!listener.isClosed()) {
            try {
                if (slots.tryAcquire()) {
                    acceptOrEnd(acceptOrRelease());
                } else if (lruPurge) {
                    Socket client = listener.accept();
                    if (isMarker(client, false)) {
                        return;
                    }
                    try {
                        makeRoom();
                    } catch (InterruptedException | RuntimeException e) {
                        closeQuietly(client); // the server is stopping: do not leave the client hanging
                        throw e;
                    }
                    acceptInto(client);
                } else {
                    slots.acquire();
                    acceptOrEnd(acceptOrRelease());
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // a channel's listener closed under accept() says so with a ClosedChannelException
                // (AsynchronousCloseException), not a SocketException
                if (listener.isClosed()) {
                    return;
                }
                backOff(e);
            } catch (RuntimeException e) {
                backOff(e);
            }
        }
    }

    /** Starts the client's session, unless it is the drain's marker (then the listener closes). */
    private void acceptOrEnd(Socket client) {
        if (!isMarker(client, true)) {
            acceptInto(client);
        }
    }

    /**
     * Whether the client is the marker of {@link #drainBacklog}: every client queued before it
     * has been accepted, so the listener closes and the acceptor ends.
     */
    private boolean isMarker(Socket client, boolean holdsSlot) {
        SocketAddress expected = marker;
        if (expected == null || !expected.equals(client.getRemoteSocketAddress())) {
            return false;
        }
        closeQuietly(client);
        if (holdsSlot) {
            slots.release();
        }
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "closing the listener failed: " + e);
        }
        return true;
    }

    /**
     * The graceful stop's end of accepting: queues a marker connection behind the clients the
     * kernel has accepted, and waits, until {@code deadlineNanos} at most, for the acceptor to
     * reach it and close the listener. False when that could not be done (the marker could not
     * connect, or the deadline came first): the caller closes the listener itself.
     */
    boolean drainBacklog(long deadlineNanos) {
        if (listener.isClosed()) {
            return true;
        }
        InetAddress bound = listener.getInetAddress();
        InetAddress target = bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound;
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(target, 0));
            marker = probe.getLocalSocketAddress();
            probe.connect(new InetSocketAddress(target, listener.getLocalPort()), remainingMillis(deadlineNanos));
            return ended.await(remainingMillis(deadlineNanos), TimeUnit.MILLISECONDS);
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.DEBUG, () -> "could not queue the drain's marker, closing the listener at once: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** At least 1: a socket's 0 means no timeout. */
    private static int remainingMillis(long deadlineNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        return (int) Math.clamp(millis, 1, Integer.MAX_VALUE);
    }

    private Socket acceptOrRelease() throws IOException {
        try {
            return listener.accept();
        } catch (IOException | RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    /** Waits for a slot, purging the LRU idle session whenever none is being closed already. */
    private void makeRoom() throws InterruptedException {
        Session victim = null;
        while (!slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
            if (listener.isClosed()) {
                throw new InterruptedException("server stopping");
            }
            if (victim == null || victim.isClosed()) {
                victim = sessions.purgeLeastRecentlyUsed();
            }
        }
    }

    /** Starts the session of an accepted client, on a virtual thread of its own. */
    private void acceptInto(Socket client) {
        Session session = null;
        try {
            configure(client);
            int id = sessions.nextId();
            session = new Session(server, id, client);
            sessions.add(session);
            if (server.isStopping()) {
                session.abort();
            }
            Thread.ofVirtual().name("httpd-session-" + id).start(session);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            LOG.log(Level.WARNING, "could not start a session for " + client.getRemoteSocketAddress() + ": " + e);
            closeQuietly(client);
            sessions.abandon(session);
        }
    }

    private void configure(Socket client) throws IOException {
        client.setTcpNoDelay(config.tcpNoDelay());
        if (config.keepAliveEnable()) {
            client.setKeepAlive(true);
            try {
                client.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, (int)
                        config.keepAliveIdle().toSeconds());
                client.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, (int)
                        config.keepAliveInterval().toSeconds());
                client.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, config.keepAliveCount());
            } catch (UnsupportedOperationException e) {
                LOG.log(Level.DEBUG, () -> "TCP keep-alive timers not supported here: " + e);
            }
        }
    }

    private static void closeQuietly(Socket client) {
        try {
            client.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    private void backOff(Exception e) {
        // e.g. EMFILE: do not spin; the condition usually clears when sessions close
        LOG.log(Level.WARNING, "accept failed on port " + listener.getLocalPort() + ": " + e);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
}
