package dev.httpsd.server;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session after its WebSocket handshake: reads frames (enforcing RFC 6455: masking, opcodes,
 * control-frame rules, fragmentation, UTF-8, size limits), hands each to the handler, answers
 * control frames unless the handler wants them, and sends frames for any thread.
 */
final class WebSocketConnection implements WebSocket {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    private static final int CLOSE_WAIT_MILLIS = 5000;

    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_DATA = 1007;
    static final int TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;

    /** A violation of the protocol by the client: answered with a CLOSE carrying {@code code}. */
    private static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;
        final int code;

        ProtocolException(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final Session session;
    private final SessionInput in;
    private final UriHandler handler;
    private final Exchange upgrade;
    private final String subprotocol;
    private final HttpServerConfig config;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final byte[] header = new byte[14];
    private final byte[] mask = new byte[4];

    private volatile boolean closeSent;
    private boolean closeReceived;
    /** The frame being dispatched; null between frames, so the frame API refuses stray calls. */
    private volatile WsFrameInfo current;

    private boolean currentFragmented;
    private long remaining;
    private int maskIndex;
    private WsType messageType;
    private long messageLength;
    private byte[] scratch;

    WebSocketConnection(Session session, SessionInput in, UriHandler handler, Exchange upgrade, String subprotocol) {
        this.session = session;
        this.in = in;
        this.handler = handler;
        this.upgrade = upgrade;
        this.subprotocol = subprotocol;
        this.config = session.server().config();
    }

    /** Runs the WebSocket until it closes; the session ends afterwards. */
    void run() throws IOException {
        try {
            handler.handler().handle(upgrade, upgrade.response());
        } catch (Exception e) {
            LOG.log(Level.WARNING, session + ": WebSocket handler failed on open", e);
            closeQuietly(INTERNAL_ERROR, "handler failed");
            return;
        }
        try {
            while (!closeSent || !closeReceived) {
                if (!nextFrame()) {
                    return;
                }
            }
        } catch (ProtocolException e) {
            LOG.log(
                    Level.DEBUG,
                    () -> session + ": WebSocket protocol violation, closing with " + e.code + ": " + e.getMessage());
            closeQuietly(e.code, e.getMessage());
        }
    }

    /** Reads and dispatches one frame; false when the WebSocket is done. */
    private boolean nextFrame() throws IOException {
        if (!readHeader()) {
            return false;
        }
        try {
            return dispatch(current.type());
        } finally {
            current = null;
            // ESP stamps the session after every processed frame: a busy WebSocket is recently used
            session.updateLruCounter();
        }
    }

    /** Hands the frame whose header was just read to the handler, or answers it. */
    private boolean dispatch(WsType type) throws IOException {
        if (closeSent && type != WsType.CLOSE) {
            discard(); // we are closing: only the peer's CLOSE matters now
            return true;
        }
        if (type.isControl() && !handler.webSocket().handleControlFrames()) {
            return answerControl(readWhole());
        }
        FrameRequest request = new FrameRequest(upgrade);
        try {
            handler.handler().handle(request, upgrade.response());
        } catch (ProtocolException e) {
            throw e;
        } catch (Exception e) {
            if (session.isClientGone(e)) {
                session.logFailure("WebSocket client gone", e);
                return false;
            }
            LOG.log(Level.WARNING, session + ": WebSocket handler for " + handler.uri() + " failed", e);
            closeQuietly(INTERNAL_ERROR, "handler failed");
            return false;
        }
        discard();
        finishFrame();
        if (type == WsType.CLOSE) {
            closeReceived = true;
            if (!closeSent) {
                closeQuietly(NORMAL, "");
            }
            return false;
        }
        return true;
    }

    /** Reads the next frame header; false at end of stream or idle timeout. */
    private boolean readHeader() throws IOException {
        int idleMillis =
                closeSent ? CLOSE_WAIT_MILLIS : session.server().timeouts().idleMillis();
        in.guard(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(idleMillis), idleMillis);
        if (in.buffered() == 0) {
            if (!session.toIdle()) {
                return false;
            }
            int n;
            try {
                n = in.fill(in.buffer().length);
            } catch (SocketTimeoutException e) {
                if (!closeSent) {
                    LOG.log(Level.DEBUG, () -> session + ": WebSocket idle timeout");
                    closeQuietly(GOING_AWAY, "idle timeout");
                }
                return false;
            } catch (IOException e) {
                if (!session.isOpen()) {
                    return false;
                }
                throw e;
            }
            if (!session.toBusy() || n <= 0) {
                return false;
            }
        }
        in.timeout(session.server().timeouts().recvMillis());
        readFully(header, 0, 2);
        boolean fin = (header[0] & 0x80) != 0;
        if ((header[0] & 0x70) != 0) {
            throw new ProtocolException(PROTOCOL_ERROR, "reserved bits set without an extension");
        }
        WsType type = WsType.of(header[0] & 0x0f);
        if (type == null) {
            throw new ProtocolException(PROTOCOL_ERROR, "reserved opcode " + (header[0] & 0x0f));
        }
        if ((header[1] & 0x80) == 0) {
            throw new ProtocolException(PROTOCOL_ERROR, "client frames must be masked");
        }
        long length = header[1] & 0x7f;
        if (length == 126) {
            readFully(header, 2, 2);
            length = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
        } else if (length == 127) {
            readFully(header, 2, 8);
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xffL);
            }
            if (length < 0) {
                throw new ProtocolException(PROTOCOL_ERROR, "64-bit length with the high bit set");
            }
        }
        readFully(mask, 0, 4);
        if (type.isControl()) {
            if (!fin) {
                throw new ProtocolException(PROTOCOL_ERROR, "fragmented control frame");
            }
            if (length > 125) {
                throw new ProtocolException(PROTOCOL_ERROR, "control frame longer than 125 bytes");
            }
        } else {
            startOrContinueMessage(type, length);
        }
        if (length > config.maxWsFrameLength()) {
            throw new ProtocolException(TOO_BIG, "frame of " + length + " bytes exceeds " + config.maxWsFrameLength());
        }
        boolean fragmented = !type.isControl() && (type == WsType.CONTINUE || !fin);
        currentFragmented = fragmented;
        current = new WsFrameInfo(type, fin, fragmented, length, length);
        remaining = length;
        maskIndex = 0;
        return true;
    }

    private void startOrContinueMessage(WsType type, long length) throws ProtocolException {
        if (type == WsType.CONTINUE) {
            if (messageType == null) {
                throw new ProtocolException(PROTOCOL_ERROR, "continuation frame without a message to continue");
            }
        } else {
            if (messageType != null) {
                throw new ProtocolException(PROTOCOL_ERROR, "new data frame inside a fragmented message");
            }
            messageType = type;
            messageLength = 0;
            utf8.reset();
        }
        messageLength += length;
        if (messageLength > config.maxWsMessageLength()) {
            throw new ProtocolException(TOO_BIG, "message exceeds " + config.maxWsMessageLength() + " bytes");
        }
    }

    /** After a data frame is consumed: end the message on FIN, checking its text is whole. */
    private void finishFrame() throws ProtocolException {
        if (current.type().isControl() || !current.finalFragment()) {
            return;
        }
        if (messageType == WsType.TEXT && !utf8.complete()) {
            throw new ProtocolException(INVALID_DATA, "text message ends inside a UTF-8 sequence");
        }
        messageType = null;
    }

    private boolean answerControl(byte[] payload) throws IOException {
        switch (current.type()) {
            case PING -> {
                if (!closeSent) {
                    sendFrame(WsFrame.pong(payload));
                }
                return true;
            }
            case PONG -> {
                return true;
            }
            default -> {
                closeReceived = true;
                int code = checkClosePayload(payload);
                if (!closeSent) {
                    closeQuietly(code == 1005 ? NORMAL : code, "");
                }
                return false;
            }
        }
    }

    /** Validates a received CLOSE payload; returns its code (1005 when absent). */
    private static int checkClosePayload(byte[] payload) throws ProtocolException {
        if (payload.length == 0) {
            return 1005;
        }
        if (payload.length == 1) {
            throw new ProtocolException(PROTOCOL_ERROR, "CLOSE payload of one byte");
        }
        int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        boolean valid = (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014 && code != 1012 && code != 1013 && code != 1014)
                || (code >= 3000 && code <= 4999);
        if (!valid) {
            throw new ProtocolException(PROTOCOL_ERROR, "invalid close code " + code);
        }
        Utf8Validator reason = new Utf8Validator();
        if (!reason.update(payload, 2, payload.length - 2) || !reason.complete()) {
            throw new ProtocolException(INVALID_DATA, "close reason is not UTF-8");
        }
        return code;
    }

    // ---- WebSocket -----------------------------------------------------------------------

    @Override
    public HttpSession session() {
        return session;
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.ofNullable(subprotocol);
    }

    @Override
    public WsFrameInfo frameInfo() {
        WsFrameInfo frame = current;
        if (frame == null) {
            throw new IllegalStateException("no frame is being received");
        }
        return new WsFrameInfo(frame.type(), frame.finalFragment(), frame.fragmented(), frame.length(), remaining);
    }

    @Override
    public int recvPayload(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (current == null) {
            throw new IllegalStateException("no frame is being received");
        }
        if (remaining == 0 || length == 0) {
            return 0;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a WebSocket frame");
        }
        for (int i = offset; i < offset + n; i++) {
            buffer[i] ^= mask[maskIndex];
            maskIndex = (maskIndex + 1) & 3;
        }
        remaining -= n;
        if (messageType == WsType.TEXT && !current.type().isControl() && !utf8.update(buffer, offset, n)) {
            throw new ProtocolException(INVALID_DATA, "text message is not UTF-8");
        }
        return n;
    }

    @Override
    public WsFrame recvFrame(int maxLength) throws IOException {
        WsFrameInfo info = frameInfo();
        if (info.remaining() > maxLength) {
            throw new IllegalArgumentException("frame payload of " + info.remaining() + " bytes is longer than "
                    + maxLength + " (ESP_ERR_INVALID_SIZE)");
        }
        byte[] payload = readWhole();
        return new WsFrame(info.type(), info.finalFragment(), currentFragmented, payload);
    }

    @Override
    public void sendFrame(WsFrame frame) throws IOException {
        // the session's write lock: a frame never mixes with a raw send or another frame
        ReentrantLock sendLock = session.writeLock();
        sendLock.lock();
        try {
            if (closeSent) {
                throw new IOException("WebSocket is closed: no frame can follow a CLOSE");
            }
            ByteSink out = new ByteSink(frame.payload().length + 14);
            int length = frame.payload().length;
            out.write(
                    new byte[] {(byte) ((frame.fin() ? 0x80 : 0) | frame.type().opcode())});
            if (length < 126) {
                out.write(new byte[] {(byte) length});
            } else if (length < 65536) {
                out.write(new byte[] {126, (byte) (length >>> 8), (byte) length});
            } else {
                byte[] extended = new byte[9];
                extended[0] = 127;
                for (int i = 0; i < 8; i++) {
                    extended[8 - i] = (byte) ((long) length >>> (8 * i));
                }
                out.write(extended);
            }
            out.write(frame.payload());
            if (frame.type() == WsType.CLOSE) {
                closeSent = true;
            }
            session.sendAll(out.array(), 0, out.size());
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    public void close(int code, String reason) throws IOException {
        // the session ends once the client answers with its CLOSE (or after a short wait)
        sendFrame(WsFrame.close(code, reason));
    }

    @Override
    public boolean isOpen() {
        return !closeSent && !closeReceived && session.isOpen();
    }

    /** Sends CLOSE unless one was sent; failures are the client's business. */
    void closeQuietly(int code, String reason) {
        try {
            if (!closeSent) {
                sendFrame(WsFrame.close(code, truncate(reason)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> session + ": WebSocket CLOSE not sent: " + e);
        }
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 123 ? reason : new String(bytes, 0, 120, StandardCharsets.UTF_8);
    }

    private byte[] readWhole() throws IOException {
        byte[] payload = new byte[(int) remaining];
        int offset = 0;
        while (offset < payload.length) {
            int n = recvPayload(payload, offset, payload.length - offset);
            if (n == 0) {
                break;
            }
            offset += n;
        }
        return payload;
    }

    /** Discards what the handler left of the current frame (still unmasking to check UTF-8). */
    private void discard() throws IOException {
        if (remaining == 0) {
            return;
        }
        if (scratch == null) {
            scratch = new byte[8192];
        }
        while (remaining > 0) {
            recvPayload(scratch, 0, scratch.length);
        }
    }

    private void readFully(byte[] buffer, int offset, int length) throws IOException {
        while (length > 0) {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                throw new EOFException("connection closed inside a WebSocket frame header");
            }
            offset += n;
            length -= n;
        }
    }

    /** The request a handler sees for each frame: the upgrade request with no method (ESP: 0). */
    private static final class FrameRequest extends ForwardingRequest {
        FrameRequest(Exchange upgrade) {
            super(upgrade);
        }

        @Override
        public HttpMethod method() {
            return null;
        }
    }
}
