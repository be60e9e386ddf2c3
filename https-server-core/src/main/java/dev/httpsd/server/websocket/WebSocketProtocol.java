package dev.httpsd.server.websocket;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.Protocol;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.WebSocket;
import dev.httpsd.server.WsFrame;
import dev.httpsd.server.WsFrameInfo;
import dev.httpsd.server.WsType;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection after its WebSocket handshake: hands each frame to the handler, answers control
 * frames unless the handler wants them, runs the closing handshake, and sends frames for any
 * thread. Frames are read by a {@link FrameReader} and encoded by {@link FrameWriter}.
 */
final class WebSocketProtocol implements Protocol, WebSocket {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    /** How long to wait for the client's CLOSE once ours is sent. */
    private static final int CLOSE_WAIT_MILLIS = 5000;

    private final ConnectionContext connection;
    private final UriHandler handler;
    private final HttpRequest upgrade;
    private final HttpResponse upgradeResponse;
    private final String subprotocol;
    private final FrameReader frames;
    private final Runnable whenEnded;

    private volatile boolean closeSent;
    private boolean closeReceived;

    /**
     * @param upgrade the upgrade request, which the handler sees for every frame
     * @param whenEnded run once the WebSocket has ended (the upgrade request is then complete)
     */
    WebSocketProtocol(
            ConnectionContext connection,
            UriHandler handler,
            HttpRequest upgrade,
            HttpResponse upgradeResponse,
            String subprotocol,
            Runnable whenEnded) {
        this.connection = connection;
        this.handler = handler;
        this.upgrade = upgrade;
        this.upgradeResponse = upgradeResponse;
        this.subprotocol = subprotocol;
        this.whenEnded = whenEnded;
        HttpServerConfig config = connection.config();
        this.frames = new FrameReader(connection.input(), config.maxWsFrameLength(), config.maxWsMessageLength());
    }

    // ---- Protocol ------------------------------------------------------------------------------

    /** The handler's first call, with the upgrade request: the WebSocket is open. */
    @Override
    public Next start(ConnectionContext connection) {
        try {
            handler.handler().handle(upgrade, upgradeResponse);
            return Next.KEEP;
        } catch (Exception e) {
            LOG.log(Level.WARNING, connection + ": WebSocket handler failed on open", e);
            closeQuietly(CloseCodes.INTERNAL_ERROR, "handler failed");
            return Next.CLOSE;
        }
    }

    /** Reads and dispatches one frame. */
    @Override
    public Next serve(ConnectionContext connection) throws IOException {
        connection.input().timeout(connection.timeouts().recvMillis());
        try {
            WsFrameInfo frame = frames.next();
            boolean open = dispatch(frame.type());
            return open && !(closeSent && closeReceived) ? Next.KEEP : Next.CLOSE;
        } catch (WebSocketException e) {
            LOG.log(
                    Level.DEBUG,
                    () -> connection + ": WebSocket protocol violation, closing with " + e.code() + ": "
                            + e.getMessage());
            closeQuietly(e.code(), e.getMessage());
            return Next.CLOSE;
        } finally {
            frames.abandon();
            // ESP stamps the session after every processed frame: a busy WebSocket is recently used
            connection.session().updateLruCounter();
        }
    }

    @Override
    public int idleMillis(ConnectionContext connection) {
        return closeSent ? CLOSE_WAIT_MILLIS : connection.timeouts().idleMillis();
    }

    @Override
    public void idleTimedOut(ConnectionContext connection) {
        if (!closeSent) {
            LOG.log(Level.DEBUG, () -> connection + ": WebSocket idle timeout");
            closeQuietly(CloseCodes.GOING_AWAY, "idle timeout");
        }
    }

    @Override
    public void closeRequested() {
        closeQuietly(CloseCodes.GOING_AWAY, "server closing the session");
    }

    @Override
    public void ended() {
        whenEnded.run();
    }

    /** Hands the frame whose header was just read to the handler, or answers it; false when done. */
    private boolean dispatch(WsType type) throws IOException {
        if (closeSent && type != WsType.CLOSE) {
            frames.finish(); // we are closing: only the peer's CLOSE matters now
            return true;
        }
        if (type.isControl() && !handler.webSocket().handleControlFrames()) {
            return answerControl(type, frames.readRest());
        }
        try {
            handler.handler().handle(new FrameRequest(upgrade), upgradeResponse);
        } catch (WebSocketException e) {
            throw e;
        } catch (Exception e) {
            if (connection.isClientGone(e)) {
                connection.logFailure("WebSocket client gone", e);
                return false;
            }
            LOG.log(Level.WARNING, connection + ": WebSocket handler for " + handler.uri() + " failed", e);
            closeQuietly(CloseCodes.INTERNAL_ERROR, "handler failed");
            return false;
        }
        frames.finish();
        if (type == WsType.CLOSE) {
            closeReceived = true;
            if (!closeSent) {
                closeQuietly(CloseCodes.NORMAL, "");
            }
            return false;
        }
        return true;
    }

    private boolean answerControl(WsType type, byte[] payload) throws IOException {
        switch (type) {
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
                int code = FrameReader.closeCode(payload);
                if (!closeSent) {
                    closeQuietly(code == CloseCodes.NO_STATUS_RECEIVED ? CloseCodes.NORMAL : code, "");
                }
                return false;
            }
        }
    }

    // ---- WebSocket -----------------------------------------------------------------------------

    @Override
    public HttpSession session() {
        return connection.session();
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.ofNullable(subprotocol);
    }

    @Override
    public WsFrameInfo frameInfo() {
        WsFrameInfo frame = frames.current();
        if (frame == null) {
            throw new IllegalStateException("no frame is being received");
        }
        return frame;
    }

    @Override
    public int recvPayload(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (!frames.inFrame()) {
            throw new IllegalStateException("no frame is being received");
        }
        return frames.read(buffer, offset, length);
    }

    @Override
    public WsFrame recvFrame(int maxLength) throws IOException {
        WsFrameInfo info = frameInfo();
        if (info.remaining() > maxLength) {
            throw new IllegalArgumentException("frame payload of " + info.remaining() + " bytes is longer than "
                    + maxLength + " (ESP_ERR_INVALID_SIZE)");
        }
        return new WsFrame(info.type(), info.finalFragment(), info.fragmented(), frames.readRest());
    }

    @Override
    public void sendFrame(WsFrame frame) throws IOException {
        // the session's write lock: a frame never mixes with a raw send or another frame
        ReentrantLock sendLock = connection.writeLock();
        sendLock.lock();
        try {
            if (closeSent) {
                throw new IOException("WebSocket is closed: no frame can follow a CLOSE");
            }
            byte[] bytes = FrameWriter.encode(frame);
            if (frame.type() == WsType.CLOSE) {
                closeSent = true;
            }
            connection.send(bytes, 0, bytes.length);
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
        return !closeSent && !closeReceived && connection.session().isOpen();
    }

    /** Sends CLOSE unless one was sent; failures are the client's business. */
    private void closeQuietly(int code, String reason) {
        try {
            if (!closeSent) {
                sendFrame(WsFrame.close(code, truncate(reason)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> connection + ": WebSocket CLOSE not sent: " + e);
        }
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 123 ? reason : new String(bytes, 0, 120, StandardCharsets.UTF_8);
    }

    /** The request a handler sees for each frame: the upgrade request with no method (ESP: 0). */
    private static final class FrameRequest extends ForwardingRequest {
        FrameRequest(HttpRequest upgrade) {
            super(upgrade);
        }

        @Override
        public HttpMethod method() {
            return null;
        }
    }
}
