package dev.httpsd.server;

/**
 * Where a session is in its life (drawn in {@link Session}'s javadoc). Each state names the states
 * it may move to; the session refuses any other move, so a wrong transition is a bug that shows.
 */
enum SessionState {
    /** Accepted; the open hook (a TLS handshake) runs. */
    OPEN,
    /** Waiting for the next request or frame: the only state LRU purge may close. */
    IDLE,
    /** Reading a request, running its handler, writing its response. */
    BUSY,
    /** A handler detached its request; the session waits for {@code complete()}. */
    ASYNC,
    /** The close sequence runs: nothing more is read or served. */
    CLOSING,
    /** Closed, its slot given back. */
    CLOSED;

    /** Whether a session in this state may move to {@code next}. */
    boolean canMoveTo(SessionState next) {
        return switch (this) {
            case OPEN, IDLE -> next == BUSY || next == CLOSING;
            case BUSY -> next == IDLE || next == ASYNC || next == CLOSING;
            case ASYNC -> next == BUSY || next == CLOSING;
            case CLOSING -> next == CLOSED;
            case CLOSED -> false;
        };
    }

    /** Before the close sequence: the session may still serve. */
    boolean isOpen() {
        return this != CLOSING && this != CLOSED;
    }
}
