package dev.httpsd.server.tls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS over a blocking socket with an {@link SSLEngine}, on the session's thread. Lean by design:
 * between records a session holds one small ciphertext buffer and no plaintext buffer; records
 * decrypt straight into the reader's array when they fit there, and a record that does not fit
 * borrows large buffers from the server's pools and returns them once its data is consumed. Reads
 * take whatever the socket has (one system call for several records); writes pack several records
 * into one system call. Reads and writes may run on different threads (a WebSocket broadcast while the session
 * thread waits for the next frame).
 */
final class TlsChannel {

    /** Enough for a typical request record and its plaintext. */
    private static final int SMALL = 512;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /**
     * The plaintext buffer of a channel with no plaintext left over: never written to (a channel
     * replaces it before decrypting into it), so every channel can share it.
     */
    private static final ByteBuffer NO_PLAINTEXT = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private final BufferPool packetPool;
    private final BufferPool applicationPool;
    private final BufferPool writePool;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    /** Ciphertext received, in read mode: position is the next byte to decrypt. */
    private ByteBuffer netIn = ByteBuffer.allocate(SMALL).flip();
    /** Plaintext decrypted and not yet read, in read mode; {@link #NO_PLAINTEXT} when drained. */
    private ByteBuffer appIn = NO_PLAINTEXT;

    private boolean inboundDone;
    private volatile boolean closed;

    TlsChannel(
            SSLEngine engine,
            InputStream in,
            OutputStream out,
            BufferPool packetPool,
            BufferPool applicationPool,
            BufferPool writePool) {
        this.engine = engine;
        this.in = in;
        this.out = out;
        this.packetPool = packetPool;
        this.applicationPool = applicationPool;
        this.writePool = writePool;
    }

    SSLEngine engine() {
        return engine;
    }

    /** Puts bytes already read from the socket (the handshake's first bytes) in front. */
    void preload(byte[] bytes, int length) {
        ensureNetInRoom(length);
        netIn.compact().put(bytes, 0, length).flip();
    }

    /** Runs the handshake to its end (including TLS 1.3 session tickets). */
    void handshake() throws IOException {
        engine.beginHandshake();
        readLock.lock();
        try {
            handshakeSteps();
        } catch (SSLException e) {
            sendPendingAlert();
            throw e;
        } finally {
            readLock.unlock();
        }
    }

    private void handshakeSteps() throws IOException {
        {
            while (true) {
                HandshakeStatus status = engine.getHandshakeStatus();
                switch (status) {
                    case NEED_TASK -> runTasks();
                    case NEED_WRAP -> wrapAndSend(EMPTY);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        SSLEngineResult result = unwrapOnce(true, null);
                        if (result == null) {
                            throw new EOFException("connection closed during the TLS handshake");
                        }
                        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new SSLException("the client closed the connection during the handshake");
                        }
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        shrink();
                        return;
                    }
                }
            }
        }
    }

    /** A failed engine holds the alert that says why: send it, as SSLSocket does. */
    private void sendPendingAlert() {
        try {
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP || !engine.isOutboundDone()) {
                engine.closeOutbound();
                wrapAndSend(EMPTY);
            }
        } catch (IOException | RuntimeException e) {
            // the peer is gone or the engine is done: nothing more to tell
        }
    }

    /**
     * Reads decrypted bytes, blocking (under the socket's timeout) until some are available.
     *
     * @return bytes read, or -1 once the peer closed (close_notify or end of stream)
     */
    int read(byte[] buffer, int offset, int length) throws IOException {
        readLock.lock();
        try {
            return readDecrypted(buffer, offset, length);
        } catch (SSLException e) {
            sendPendingAlert();
            throw e;
        } finally {
            readLock.unlock();
        }
    }

    private int readDecrypted(byte[] buffer, int offset, int length) throws IOException {
        while (!appIn.hasRemaining()) {
            if (inboundDone) {
                return -1;
            }
            // nothing left over: decrypt straight into the caller's array, which saves a copy;
            // a record bigger than the room there goes through the channel's own buffer
            ByteBuffer direct = ByteBuffer.wrap(buffer, offset, length);
            SSLEngineResult result = unwrapOnce(false, direct);
            if (result != null && result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                result = unwrapOnce(false, null);
            }
            if (result == null) {
                inboundDone = true; // end of stream between records: the peer hung up
                return -1;
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                inboundDone = true;
                answerPostHandshake();
                return -1;
            }
            answerPostHandshake();
            int produced = direct.position() - offset;
            if (produced > 0) {
                shrink();
                return produced;
            }
        }
        int n = Math.min(length, appIn.remaining());
        appIn.get(buffer, offset, n);
        shrink();
        return n;
    }

    /** Bytes of read buffers the channel holds now: what it costs an idle session. */
    int heldBufferBytes() {
        return netIn.capacity() + appIn.capacity();
    }

    /** Decrypted bytes waiting to be read. */
    int available() {
        return appIn.remaining();
    }

    /** Encrypts and sends all of {@code length} bytes. */
    void write(byte[] buffer, int offset, int length) throws IOException {
        wrapAndSend(ByteBuffer.wrap(buffer, offset, length));
    }

    /** Whether the server closed this channel (sent close_notify). */
    boolean isClosed() {
        return closed;
    }

    /** Sends close_notify. */
    void close() throws IOException {
        closed = true;
        engine.closeOutbound();
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP || !engine.isOutboundDone()) {
            wrapAndSend(EMPTY);
        }
    }

    /**
     * One unwrap step, reading from the socket when a whole record is not buffered yet. Decrypts
     * into {@code direct} when given, and then reports a record too big for it as {@code
     * BUFFER_OVERFLOW} with nothing consumed; into the channel's plaintext buffer, grown as needed,
     * otherwise.
     *
     * @return the result, or {@code null} when the stream ended between records
     */
    private SSLEngineResult unwrapOnce(boolean handshaking, ByteBuffer direct) throws IOException {
        while (true) {
            if (netIn.hasRemaining()) {
                SSLEngineResult result = direct != null ? engine.unwrap(netIn, direct) : unwrapToAppIn();
                switch (result.getStatus()) {
                    case OK, CLOSED -> {
                        return result;
                    }
                    case BUFFER_OVERFLOW -> {
                        if (direct != null) {
                            return result;
                        }
                        growAppIn();
                        continue;
                    }
                    case BUFFER_UNDERFLOW -> {
                        // fall through to read more of the record
                    }
                }
            } else if (handshaking && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                return unwrapToAppIn();
            }
            if (!fill()) {
                return null;
            }
        }
    }

    private SSLEngineResult unwrapToAppIn() throws SSLException {
        ensureAppInRoom();
        appIn.compact();
        try {
            return engine.unwrap(netIn, appIn);
        } finally {
            appIn.flip();
        }
    }

    /**
     * Reads more ciphertext: as much as the socket has, into room after what is buffered.
     *
     * @return false at end of stream between records
     */
    private boolean fill() throws IOException {
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

    /**
     * Answers what the engine asks for after a read: TLS 1.3 post-handshake messages (key
     * updates), close_notify. A TLS 1.2 ClientHello after the handshake is the client
     * renegotiating: JSSE refuses it with a handshake_failure alert when its JVM-wide {@code
     * jdk.tls.rejectClientInitiatedRenegotiation} says so; where it was left to allow it, the
     * channel refuses it before anything is sent back.
     */
    private void answerPostHandshake() throws IOException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (status == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                if (!engine.isInboundDone()
                        && !"TLSv1.3".equals(engine.getSession().getProtocol())) {
                    throw new SSLHandshakeException("client-initiated renegotiation refused");
                }
                wrapAndSend(EMPTY);
            } else {
                return;
            }
        }
    }

    private void wrapAndSend(ByteBuffer source) throws IOException {
        writeLock.lock();
        ByteBuffer netOut = writePool.acquire();
        try {
            int packet = engine.getSession().getPacketBufferSize();
            do {
                netOut.clear();
                // several records per system call, each wrap needing room for a whole packet
                while (netOut.remaining() >= packet) {
                    SSLEngineResult result = engine.wrap(source, netOut);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        if (netOut.position() == 0 && source.hasRemaining()) {
                            throw new SSLException("TLS connection closed: cannot send");
                        }
                        break;
                    }
                    if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    if (!source.hasRemaining() && result.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                        break;
                    }
                    if (result.bytesProduced() == 0 && result.bytesConsumed() == 0) {
                        break;
                    }
                }
                netOut.flip();
                if (netOut.hasRemaining()) {
                    out.write(netOut.array(), netOut.arrayOffset(), netOut.limit());
                }
            } while (source.hasRemaining() && !engine.isOutboundDone());
        } finally {
            writePool.release(netOut);
            writeLock.unlock();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void ensureNetInRoom(int extra) {
        if (netIn.capacity() - netIn.remaining() < extra) {
            growNetIn();
        }
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

    private void ensureAppInRoom() {
        if (appIn == NO_PLAINTEXT) {
            appIn = ByteBuffer.allocate(SMALL).flip();
        } else if (!appIn.hasRemaining() && appIn.position() > 0) {
            appIn.clear().flip();
        }
    }

    private void growAppIn() {
        ByteBuffer big = appIn.capacity() >= applicationPool.bufferSize()
                ? ByteBuffer.allocate(appIn.capacity() * 2)
                : applicationPool.acquire();
        big.put(appIn).flip();
        if (appIn.capacity() == applicationPool.bufferSize()) {
            applicationPool.release(appIn);
        }
        appIn = big;
    }

    /**
     * Gives buffers back once their data is consumed: an idle session holds one small ciphertext
     * buffer and no plaintext one.
     */
    private void shrink() {
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
}
