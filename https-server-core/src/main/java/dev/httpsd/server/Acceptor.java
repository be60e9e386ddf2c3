package dev.httpsd.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The listening port's platform thread. Takes a session slot before {@code accept()}; with every
 * slot taken it stops accepting (the kernel backlog holds new clients), unless LRU purge is on:
 * then it accepts the waiting client and closes the least-recently-used idle session to make
 * room, as ESP does.
 */
final class Acceptor implements Runnable {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final HttpServer server;
    private final ServerSocket listener;
    private final Semaphore slots;
    private final boolean lruPurge;

    Acceptor(HttpServer server, ServerSocket listener, Semaphore slots) {
        this.server = server;
        this.listener = listener;
        this.slots = slots;
        this.lruPurge = server.config().lruPurgeEnable();
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
                victim = server.sessions().purgeLeastRecentlyUsed();
            }
        }
    }

    private void acceptInto(Socket client) {
        server.startSession(client);
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
