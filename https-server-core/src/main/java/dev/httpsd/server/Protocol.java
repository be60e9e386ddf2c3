package dev.httpsd.server;

import java.io.IOException;

/**
 * What a connection speaks: HTTP/1.1, a WebSocket after its upgrade, later HTTP/2. The session
 * that owns the connection runs one protocol at a time over the connection's transport, and
 * switches when a protocol hands over to the next ({@link Next#upgrade}). Between two calls to
 * {@link #serve} the session itself waits for input, up to {@link #idleMillis}.
 *
 * <p>Part of the connection SPI that the server's protocol packages implement: not an application
 * extension point, and without any compatibility promise.
 */
public interface Protocol {

    /** What the session does after a protocol's turn. */
    sealed interface Next permits Next.Keep, Next.Close, Next.Upgrade {

        /** The connection stays: wait for more input, then serve again. */
        Next KEEP = new Keep();

        /** The connection closes. */
        Next CLOSE = new Close();

        /** The connection goes on with {@code next}, this protocol's work done. */
        static Next upgrade(Protocol next) {
            return new Upgrade(next);
        }

        /** See {@link #KEEP}. */
        final class Keep implements Next {
            private Keep() {}
        }

        /** See {@link #CLOSE}. */
        final class Close implements Next {
            private Close() {}
        }

        /** See {@link #upgrade}. */
        record Upgrade(Protocol next) implements Next {}
    }

    /**
     * Called once when the connection switches to this protocol, before any input is awaited: a
     * WebSocket tells its handler that it is open.
     */
    default Next start(ConnectionContext connection) throws IOException {
        return Next.KEEP;
    }

    /**
     * Serves what arrived: at least one byte is buffered in {@link ConnectionContext#input()}.
     * HTTP/1.1 serves one request, a WebSocket one frame.
     */
    Next serve(ConnectionContext connection) throws IOException;

    /** How long the connection may wait for its next input before it closes. */
    int idleMillis(ConnectionContext connection);

    /**
     * Whether work is in flight that does not show in the session's state: HTTP/2 streams served
     * on threads of their own while the session waits for frames. A session with work in flight
     * is never purged by LRU, and a close asked for it (a trigger, a graceful stop) waits for that
     * work while the protocol goes on reading; the protocol asks again for the close ({@link
     * HttpSession#triggerClose}) once its work is done.
     */
    default boolean inFlight() {
        return false;
    }

    /** The idle wait ended with no input: the connection closes after this (a WebSocket says so). */
    default void idleTimedOut(ConnectionContext connection) {}

    /**
     * The server wants the connection closed ({@code triggerClose}, a stop): a protocol with a
     * closing handshake starts it. Called from any thread.
     */
    default void closeRequested() {}

    /** The connection ended while this protocol ran it (called on the session's thread). */
    default void ended() {}
}
