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
 * between records a session holds one small ciphertext buffer and no plaintext buffer (none at all
 * while it waits lean for its next request: {@link #releaseForIdle}); records decrypt straight into
 * the reader's array when they fit there, and a record that does not fit borrows large buffers
 * from the server's pools and returns them once its data is consumed ({@link TlsReadBuffers}).
 * Reads take whatever the socket has (one system call for several records); writes pack several
 * records into one system call. Reads and writes may run on different threads (a WebSocket
 * broadcast while the session thread waits for the next frame).
 */
final class TlsChannel {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private static final byte ALERT_RECORD = 21;
    private static final byte FATAL = 2;
    private static final int RECORD_OVERFLOW = 22;

    private final EngineFactory factory;
    private final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private final TlsReadBuffers buffers;
    private final BufferPool writePool;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    private boolean inboundDone;
    /** Whether the handshake sent the client a flight of ours (ServerHello onwards). */
    private boolean answered;

    private volatile boolean closed;

    TlsChannel(
            EngineFactory factory,
            SSLEngine engine,
            InputStream in,
            OutputStream out,
            BufferPool packetPool,
            BufferPool applicationPool,
            BufferPool writePool) {
        this.factory = factory;
        this.engine = engine;
        this.in = in;
        this.out = out;
        this.buffers = new TlsReadBuffers(packetPool, applicationPool);
        this.writePool = writePool;
    }

    SSLEngine engine() {
        return engine;
    }

    /** Puts bytes already read from the socket (the handshake's first bytes) in front. */
    void preload(byte[] bytes, int length) {
        buffers.preload(bytes, length);
    }

    /** Runs the handshake to its end (including TLS 1.3 session tickets). */
    void handshake() throws IOException {
        engine.beginHandshake();
        readLock.lock();
        try {
            screenClientHello();
            handshakeSteps();
        } catch (SSLException e) {
            sendPendingAlert();
            throw factory.handshakeFailure(e);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Lets the factory see the whole first record before the engine does, where it asks to, and
     * answers its refusal with a plaintext alert (nothing is encrypted before the ServerHello). A
     * record header claiming more than any record may hold is refused at once.
     */
    private void screenClientHello() throws IOException {
        if (!factory.screensClientHello()) {
            return;
        }
        int length;
        EngineFactory.Refusal refusal = null;
        while ((length = ClientHello.recordLength(buffers.ciphertext())) < 0
                || buffers.ciphertext().remaining() < length) {
            if (length > ClientHello.MAX_RECORD) {
                // refused without waiting for a body no record can have (RFC 8446 §5.2)
                refusal = new EngineFactory.Refusal(
                        RECORD_OVERFLOW,
                        "record_overflow: a record of " + length + " bytes, over " + ClientHello.MAX_RECORD);
                break;
            }
            if (!buffers.fill(in)) {
                return; // not a whole record: the engine says what is wrong with it
            }
        }
        if (refusal == null) {
            refusal = factory.screen(buffers.ciphertext());
        }
        if (refusal != null) {
            byte[] alert = {ALERT_RECORD, 3, 3, 0, 2, FATAL, (byte) refusal.alert()};
            writeLock.lock();
            try {
                out.write(alert);
                out.flush();
            } finally {
                writeLock.unlock();
            }
            closed = true;
            throw new SSLHandshakeException(refusal.reason());
        }
    }

    private void handshakeSteps() throws IOException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    write(EMPTY);
                    answered = true;
                }
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
                    buffers.shrink();
                    return;
                }
            }
        }
    }

    /** A failed engine holds the alert that says why: send it, as SSLSocket does. */
    private void sendPendingAlert() {
        if (closed) {
            return; // refused before the engine saw anything: the alert is sent
        }
        try {
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP || !engine.isOutboundDone()) {
                engine.closeOutbound();
                write(EMPTY);
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
        while (buffers.plaintextAvailable() == 0) {
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
                answerPostHandshake(result);
                return -1;
            }
            answerPostHandshake(result);
            int produced = direct.position() - offset;
            if (produced > 0) {
                buffers.shrink();
                return produced;
            }
        }
        int n = buffers.takePlaintext(buffer, offset, length);
        buffers.shrink();
        return n;
    }

    /** For a lean idle wait: holding no input and the peer still open, gives its read buffers back. */
    boolean releaseForIdle() {
        if (!readLock.tryLock()) {
            return false; // another thread reads (queued work's recv): wait through the channel
        }
        try {
            return !inboundDone && buffers.release();
        } finally {
            readLock.unlock();
        }
    }

    /** Bytes of read buffers the channel holds now: what it costs an idle session. */
    int heldBufferBytes() {
        return buffers.heldBytes();
    }

    /** Decrypted bytes waiting to be read. */
    int available() {
        return buffers.plaintextAvailable();
    }

    /** Whether the server closed this channel (sent close_notify); tests check the close order. */
    boolean isClosed() {
        return closed;
    }

    /**
     * Gives back what the engine holds outside the heap (the OpenSSL engine's native state); the
     * channel is unusable afterwards. Called once the session is over.
     */
    void free() {
        factory.free(engine);
    }

    /**
     * Whether the handshake had sent the client a flight of ours before it failed: then the
     * client may be past its own last handshake message and sending (TLS 1.3 sends a request
     * right after the client's Finished; TLS 1.2 a flight in several writes) when we refuse it.
     * A failure on the ClientHello leaves a client that only waits for our answer.
     */
    boolean answeredBeforeFailing() {
        return answered;
    }

    /** Sends close_notify. */
    void close() throws IOException {
        closed = true;
        engine.closeOutbound();
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP || !engine.isOutboundDone()) {
            write(EMPTY);
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
            // while handshaking, unwrap with nothing buffered too: the OpenSSL engine finishes a
            // handshake only on the unwrap after the one that consumed the client's last flight
            if (buffers.ciphertext().hasRemaining() || handshaking) {
                SSLEngineResult result = direct != null
                        ? engine.unwrap(buffers.ciphertext(), direct)
                        : buffers.unwrapToPlaintext(engine);
                switch (result.getStatus()) {
                    case OK, CLOSED -> {
                        return result;
                    }
                    case BUFFER_OVERFLOW -> {
                        if (direct != null) {
                            return result;
                        }
                        buffers.growPlaintext();
                        continue;
                    }
                    case BUFFER_UNDERFLOW -> {
                        HandshakeStatus next = result.getHandshakeStatus();
                        if (handshaking
                                && next != HandshakeStatus.NEED_UNWRAP
                                && next != HandshakeStatus.NEED_UNWRAP_AGAIN) {
                            return result; // finished, or something else to do first
                        }
                        // otherwise read more of the record
                    }
                }
            }
            if (!buffers.fill(in)) {
                return null;
            }
        }
    }

    /**
     * Answers what the engine asks for after a read: TLS 1.3 post-handshake messages (key
     * updates), close_notify. A TLS 1.2 ClientHello after the handshake is the client
     * renegotiating: JSSE refuses it with a handshake_failure alert when its JVM-wide {@code
     * jdk.tls.rejectClientInitiatedRenegotiation} says so; where it was left to allow it, the
     * channel refuses it before anything is sent back. The OpenSSL engine refuses it by itself with
     * a no_renegotiation alert, and says so only in the result (its handshake status stays
     * NOT_HANDSHAKING): the result's status comes first, and that alert is sent.
     */
    private void answerPostHandshake(SSLEngineResult result) throws IOException {
        HandshakeStatus status = result.getHandshakeStatus();
        while (true) {
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (status == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                if (!engine.isInboundDone()
                        && !"TLSv1.3".equals(engine.getSession().getProtocol())) {
                    if (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                        write(EMPTY); // the engine's own refusal (OpenSSL's no_renegotiation alert)
                    }
                    throw new SSLHandshakeException("client-initiated renegotiation refused");
                }
                write(EMPTY);
            } else {
                return;
            }
            status = engine.getHandshakeStatus();
        }
    }

    /**
     * Encrypts and sends the buffer's remaining bytes, moving its position: a direct buffer (a
     * file's) is encrypted from where it is, with no copy into the heap first.
     */
    void write(ByteBuffer source) throws IOException {
        writeLock.lock();
        ByteBuffer netOut = writePool.acquire();
        try {
            int packet = engine.getSession().getPacketBufferSize();
            do {
                netOut.clear();
                try {
                    wrapRecords(source, netOut, packet);
                } catch (SSLException e) {
                    // the OpenSSL engine fails on the wrap after the one that produced its alert:
                    // the alert goes out first
                    send(netOut);
                    throw e;
                }
                send(netOut);
            } while (source.hasRemaining() && !engine.isOutboundDone());
        } finally {
            writePool.release(netOut);
            writeLock.unlock();
        }
    }

    private void send(ByteBuffer netOut) throws IOException {
        netOut.flip();
        if (netOut.hasRemaining()) {
            out.write(netOut.array(), netOut.arrayOffset(), netOut.limit());
        }
    }

    /**
     * Several records per system call, each wrap needing room for a whole packet. With nothing to
     * encrypt, wraps until one produces nothing: the OpenSSL engine reports a failure whose alert
     * it has just produced only on the next wrap.
     */
    private void wrapRecords(ByteBuffer source, ByteBuffer netOut, int packet) throws IOException {
        while (netOut.remaining() >= packet) {
            SSLEngineResult result = engine.wrap(source, netOut);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                if (netOut.position() == 0 && source.hasRemaining()) {
                    throw new SSLException("TLS connection closed: cannot send");
                }
                return;
            }
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (result.bytesProduced() == 0 && result.bytesConsumed() == 0) {
                return;
            }
            if (!source.hasRemaining() && result.getHandshakeStatus() != HandshakeStatus.NEED_WRAP && source != EMPTY) {
                return;
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
