package dev.httpsd.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
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
 */
final class Acceptor implements Runnable {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final HttpServer server;
    private final HttpServerConfig config;
    private final ServerSocket listener;
    private final SessionRegistry sessions;
    private final Semaphore slots;
    private final boolean lruPurge;

    Acceptor(HttpServer server, ServerSocket listener, SessionRegistry sessions) {
        this.server = server;
        this.config = server.config();
        this.listener = listener;
        this.sessions = sessions;
        this.slots = sessions.slots();
        this.lruPurge = config.lruPurgeEnable();
    }

    @Override
    public void run() {
        while (!listener.isClosed()) {
            try {
                if (slots.tryAcquire()) {
                    acceptInto(acceptOrRelease());
                } else if (lruPurge) {
                    Socket client = listener.accept();
                    try {
                        makeRoom();
                    } catch (InterruptedException | RuntimeException e) {
                        closeQuietly(client); // the server is stopping: do not leave the client hanging
                        throw e;
                    }
                    acceptInto(client);
                } else {
                    slots.acquire();
                    acceptInto(acceptOrRelease());
                }
            } catch (InterruptedException e) {
                return;
            } catch (SocketException e) {
                if (listener.isClosed()) {
                    return;
                }
                backOff(e);
            } catch (IOException | RuntimeException e) {
                backOff(e);
            }
        }
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
