package dev.httpsd.server.tls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The read side's buffers of one {@link TlsChannel}: the ciphertext received and not yet
 * decrypted, and the plaintext decrypted and not yet read. Between records they are one small
 * ciphertext buffer and no plaintext buffer; a record that does not fit borrows large buffers from
 * the server's pools, given back once its data is consumed. Used under the channel's read lock.
 */
final class TlsReadBuffers {

    /** Enough for a typical request record and its plaintext. */
    static final int SMALL = 512;

    /**
     * The plaintext buffer of a channel with no plaintext left over: never written to (it is
     * replaced before anything is decrypted into it), so every channel can share it.
     */
    private static final ByteBuffer NO_PLAINTEXT = ByteBuffer.allocate(0);

    /**
     * The ciphertext buffer of an idle channel whose session waits on the socket itself: like
     * {@link #NO_PLAINTEXT}, replaced before anything is read into it, so shared.
     */
    private static final ByteBuffer NO_CIPHERTEXT = ByteBuffer.allocate(0);

    private final BufferPool packetPool;
    private final BufferPool applicationPool;

    /** Ciphertext received, in read mode: position is the next byte to decrypt. */
    private ByteBuffer netIn = ByteBuffer.allocate(SMALL).flip();
    /** Plaintext decrypted and not yet read, in read mode; {@link #NO_PLAINTEXT} when drained. */
    private ByteBuffer appIn = NO_PLAINTEXT;

    TlsReadBuffers(BufferPool packetPool, BufferPool applicationPool) {
        this.packetPool = packetPool;
        this.applicationPool = applicationPool;
    }

    /** The ciphertext buffer, in read mode; a fill may replace it, so ask again after one. */
    ByteBuffer ciphertext() {
        return netIn;
    }

    /** Puts bytes already read from the socket (the handshake's first bytes) in front. */
    void preload(byte[] bytes, int length) {
        if (netIn.capacity() - netIn.remaining() < length) {
            growNetIn();
        }
        netIn.compact().put(bytes, 0, length).flip();
    }

    /**
     * Reads more ciphertext: as much as the socket has, into room after what is buffered.
     *
     * @return false at end of stream between records
     */
    boolean fill(InputStream in) throws IOException {
        if (netIn == NO_CIPHERTEXT) {
            netIn = ByteBuffer.allocate(SMALL).flip();
        }
        if (netIn.limit() == netIn.capacity()) {
            if (netIn.position() > 0) {
                netIn.compact().flip();
            } else {
                growNetIn();
            }
        }
        int start = netIn.limit();
        int n = in.read(netIn.array(), netIn.arrayOffset() + start, netIn.capacity() - start);
        if (n < 0) {
            if (!netIn.hasRemaining()) {
                return false;
            }
            throw new EOFException("connection closed inside a TLS record");
        }
        netIn.limit(start + n);
        return true;
    }

    /** Decrypts into the plaintext buffer, after what it holds. */
    SSLEngineResult unwrapToPlaintext(SSLEngine engine) throws SSLException {
        if (appIn == NO_PLAINTEXT) {
            appIn = ByteBuffer.allocate(SMALL).flip();
        } else if (!appIn.hasRemaining() && appIn.position() > 0) {
            appIn.clear().flip();
        }
        appIn.compact();
        try {
            return engine.unwrap(netIn, appIn);
        } finally {
            appIn.flip();
        }
    }

    /** A record did not fit the plaintext buffer: a bigger one, what it held carried over. */
    void growPlaintext() {
        ByteBuffer big = appIn.capacity() >= applicationPool.bufferSize()
                ? ByteBuffer.allocate(appIn.capacity() * 2)
                : applicationPool.acquire();
        big.put(appIn).flip();
        if (appIn.capacity() == applicationPool.bufferSize()) {
            applicationPool.release(appIn);
        }
        appIn = big;
    }

    /** Decrypted bytes waiting to be read. */
    int plaintextAvailable() {
        return appIn.remaining();
    }

    /** Takes up to {@code length} decrypted bytes; the caller checked some are there. */
    int takePlaintext(byte[] buffer, int offset, int length) {
        int n = Math.min(length, appIn.remaining());
        appIn.get(buffer, offset, n);
        return n;
    }

    /** Bytes of read buffers held now: what it costs an idle session. */
    int heldBytes() {
        return netIn.capacity() + appIn.capacity();
    }

    /**
     * Gives buffers back once their data is consumed: a drained channel holds one small ciphertext
     * buffer and no plaintext one.
     */
    void shrink() {
        if (!appIn.hasRemaining() && appIn != NO_PLAINTEXT) {
            if (appIn.capacity() == applicationPool.bufferSize()) {
                applicationPool.release(appIn);
            }
            appIn = NO_PLAINTEXT;
        }
        if (!netIn.hasRemaining() && netIn.capacity() > SMALL) {
            if (netIn.capacity() == packetPool.bufferSize()) {
                packetPool.release(netIn);
            }
            netIn = ByteBuffer.allocate(SMALL).flip();
        }
    }

    /**
     * With no input held, received or decrypted, gives every buffer back: the channel's session
     * waits idle on the socket itself and the next fill takes a small buffer again.
     *
     * @return whether nothing was held
     */
    boolean release() {
        if (netIn.hasRemaining() || appIn.hasRemaining()) {
            return false;
        }
        shrink();
        netIn = NO_CIPHERTEXT;
        return true;
    }

    private void growNetIn() {
        if (netIn.capacity() >= packetPool.bufferSize()) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() * 2);
            bigger.put(netIn).flip();
            netIn = bigger;
            return;
        }
        ByteBuffer big = packetPool.acquire();
        big.put(netIn).flip();
        netIn = big;
    }
}
