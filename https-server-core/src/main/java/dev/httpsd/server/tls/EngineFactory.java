package dev.httpsd.server.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * Makes the server-side {@link SSLEngine}s of one generation of TLS material, for one engine
 * implementation ({@link TlsEngine}). A reload makes a new factory and closes the old one: engines
 * already made keep working until they are freed.
 */
interface EngineFactory {

    /**
     * A server-mode engine with the configured parameters for one new connection.
     *
     * @return the engine, or {@code null} when this factory was closed meanwhile (the caller asks
     *     the current one)
     */
    SSLEngine newEngine();

    /** Room one {@code wrap} needs for a whole record; one {@code unwrap} of any record. */
    int packetBufferSize();

    /** Room one {@code unwrap} needs to decrypt any record. */
    int applicationBufferSize();

    /** Whether {@link #screen} wants to see the first record. */
    default boolean screensClientHello() {
        return false;
    }

    /**
     * Looks at a connection's first record (the ClientHello, whole) before the engine does.
     *
     * @return {@code null} to go on, or the alert to answer with instead of a handshake
     */
    default Refusal screen(ByteBuffer firstRecord) {
        return null;
    }

    /**
     * Replaces the keys that encrypt and decrypt session tickets for the handshakes to come.
     *
     * @throws IllegalStateException when this engine cannot take configured keys
     */
    default void ticketKeys(SessionTicketKeys keys) {
        throw new IllegalStateException("this TLS engine cannot use configured session ticket keys");
    }

    /**
     * What to report for a handshake the engine failed: {@code failure} itself, unless this
     * engine's exception hides the reason (then one that names it).
     */
    default SSLException handshakeFailure(SSLException failure) {
        return failure;
    }

    /** Gives back what {@code engine} holds outside the heap, once the session is over. */
    default void free(SSLEngine engine) {}

    /** Makes no more engines; those made already keep working until they are freed. */
    default void close() {}

    /** Engines made and not yet freed, where the implementation counts them; -1 where it does not. */
    default int liveEngines() {
        return -1;
    }

    /** A handshake refused before it began: the TLS alert to send, and why. */
    record Refusal(int alert, String reason) {}
}
