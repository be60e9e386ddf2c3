package dev.httpsd.server.tls;

import dev.httpsd.server.CloseHook;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.OpenHook;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * TLS installed through the HTTP session hooks, as {@code esp_https_server} does: the open hook
 * runs the handshake on the session's thread under the handshake timeout, then installs the
 * recv/send/pending overrides and the TLS session as transport context, and locks them.
 */
final class TlsTransport {

    private static final System.Logger LOG = System.getLogger(HttpsServer.class.getName());
    private static final String LOCK_REASON =
            "should not be used with esp_https_server: the HTTPS layer owns this session's transport";
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    private static final long DRAIN_MILLIS = 2000;
    private static final long DRAIN_LIMIT = 1024 * 1024;
    private static final byte[] PLAINTEXT_ANSWER;

    static {
        byte[] body = "This server speaks HTTPS only: connect with https://.\n".getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        PLAINTEXT_ANSWER = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, PLAINTEXT_ANSWER, 0, headBytes.length);
        System.arraycopy(body, 0, PLAINTEXT_ANSWER, headBytes.length, body.length);
    }

    private final TlsContext context;
    private final OpenHook userOpen;
    private final CloseHook userClose;
    private final TlsSessionCallback callback;
    private final ScheduledExecutorService timer;
    private final long handshakeMillis;
    private final boolean invalidateSessions;
    /** ESP answers plain HTTP on its TLS port with nothing; httpsd says HTTPS is needed. */
    private final boolean answerPlaintext;

    TlsTransport(HttpsServerConfig config, TlsContext context, ScheduledExecutorService timer) {
        this.context = context;
        this.userOpen = config.httpd().openHook();
        this.userClose = config.httpd().closeHook();
        this.callback = config.sessionCallback();
        this.timer = timer;
        this.handshakeMillis = config.handshakeTimeout().toMillis();
        this.invalidateSessions = !config.sessionTickets();
        this.answerPlaintext = !config.httpd().espIdfCompatible();
    }

    /** The open hook: handshake, overrides, transport context, user hook, CREATE, ON_CONNECTED. */
    void open(HttpSession session) throws Exception {
        Socket raw = session.socket();
        TlsSession tls;
        // set before the close, so the failing read sees it: isDone() turns true only afterwards
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> guard = timer.schedule(
                () -> {
                    expired.set(true);
                    closeQuietly(raw);
                },
                handshakeMillis,
                TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        TlsChannel channel = null;
        try {
            // the guard alone bounds the handshake: a socket timeout would cost a virtual-thread
            // timer on every read of it
            channel = layer(session, raw);
            channel.handshake();
            if (invalidateSessions) {
                channel.engine().getSession().invalidate(); // no TLS 1.2 session-id resumption either
            }
            tls = new TlsSession(channel, context.clientAuth(), System.nanoTime() - started);
        } catch (PlaintextException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            boolean timedOut = e instanceof SocketTimeoutException || expired.get();
            IOException failure = timedOut
                    ? new SocketTimeoutException("TLS handshake not finished within " + handshakeMillis + " ms")
                    : e instanceof IOException io ? io : new SSLException(e);
            handshakeFailed(session, TlsError.of(failure));
            if (channel != null) {
                channel.free();
            }
            throw failure;
        } finally {
            guard.cancel(false);
        }
        session.setRecvOverride((s, b, off, len) -> recv(s, tls, b, off, len));
        session.setSendOverride((s, b, off, len) -> send(s, tls, b, off, len));
        // Unlike recv and send, not wrapped to post the HTTPS ERROR event (reference §5.2): ESP's
        // pending can fail on a broken TLS context, but available() only counts decrypted bytes
        // already buffered, does no I/O and cannot throw. Should it ever read from the socket, it
        // must report failures through transportError as recv does.
        session.setPendingOverride(s -> tls.channel().available());
        session.setTransportContext(tls, ctx -> free(session, (TlsSession) ctx));
        session.lockTransport(LOCK_REASON);
        if (userOpen != null) {
            // ESP ignores open_fn's result here; a Java exception rejects the session, as without
            // TLS. Nothing was announced yet, so nothing is announced closed (see free)
            userOpen.onOpen(session);
        }
        tls.announce();
        callBack(new TlsSessionEvent(TlsSessionEvent.State.CREATE, session, tls, null));
        if (session.server().hasEventListeners()) {
            session.server().postEvent(new HttpsServerEvent.OnConnected(session.id(), session.remoteAddress()));
        }
    }

    /** The close hook: the user's hook, then TLS close_notify (bounded in time). */
    void close(HttpSession session) throws Exception {
        try {
            if (userClose != null) {
                userClose.onClose(session);
            }
        } finally {
            if (session.transportContext() instanceof TlsSession tls) {
                Socket raw = session.socket();
                ScheduledFuture<?> guard = timer.schedule(() -> closeQuietly(raw), 1, TimeUnit.SECONDS);
                try {
                    tls.channel().close();
                } catch (IOException e) {
                    // the peer is gone: nothing to notify
                } finally {
                    guard.cancel(false);
                }
            }
        }
    }

    /** Reads the first bytes to tell TLS from plaintext, then layers TLS over the socket. */
    private TlsChannel layer(HttpSession session, Socket raw) throws IOException {
        InputStream in = raw.getInputStream();
        byte[] first = new byte[512];
        int n = in.read(first);
        if (n < 0) {
            throw new EOFException("connection closed before the TLS handshake");
        }
        if ((first[0] & 0xff) != TLS_HANDSHAKE_RECORD) {
            boolean http = first[0] >= 'A' && first[0] <= 'Z' && answerPlaintext;
            if (http) {
                OutputStream out = raw.getOutputStream();
                out.write(PLAINTEXT_ANSWER);
                out.flush();
                try {
                    raw.shutdownOutput();
                    discardInput(raw, in);
                } catch (IOException e) {
                    // already gone
                }
            }
            String message = http
                    ? "plain HTTP received on the TLS port; answered 400"
                    : "not a TLS handshake (first byte 0x" + Integer.toHexString(first[0] & 0xff) + ")";
            handshakeFailed(session, TlsError.of("PlaintextException", message));
            throw new PlaintextException(message);
        }
        TlsChannel channel = context.channel(in, raw.getOutputStream());
        channel.preload(first, n);
        return channel;
    }

    private int recv(HttpSession session, TlsSession tls, byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = tls.channel().read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            transportError(session, e);
            throw e;
        }
        if (n > 0 && session.server().hasEventListeners()) {
            session.server().postEvent(new HttpsServerEvent.OnData(session.id(), session.remoteAddress(), n));
        }
        return n;
    }

    private int send(HttpSession session, TlsSession tls, byte[] b, int off, int len) throws IOException {
        try {
            tls.channel().write(b, off, len);
        } catch (IOException e) {
            transportError(session, e);
            throw e;
        }
        if (session.server().hasEventListeners()) {
            session.server().postEvent(new HttpsServerEvent.SentData(session.id(), session.remoteAddress(), len));
        }
        return len;
    }

    /**
     * The transport-context free function: CLOSE callback, then HTTPS DISCONNECTED, neither for a
     * session whose user open hook rejected it, which had no CREATE and no HTTPS ON_CONNECTED; then,
     * for every session, the engine's native state (OpenSSL) is given back.
     */
    private void free(HttpSession session, TlsSession tls) {
        try {
            if (tls.announced()) {
                announceClosed(session, tls);
            }
        } finally {
            tls.channel().free();
        }
    }

    private void announceClosed(HttpSession session, TlsSession tls) {
        try {
            callBack(new TlsSessionEvent(TlsSessionEvent.State.CLOSE, session, tls, null));
        } finally {
            if (session.server().hasEventListeners()) {
                session.server().postEvent(new HttpsServerEvent.Disconnected(session.id(), session.remoteAddress()));
            }
        }
    }

    private void handshakeFailed(HttpSession session, TlsError error) {
        LOG.log(
                Level.DEBUG,
                () -> "session " + session.id() + " (" + session.remoteAddress() + "): TLS handshake failed: " + error);
        if (session.server().hasEventListeners()) {
            session.server().postEvent(new HttpsServerEvent.Error(session.id(), session.remoteAddress(), error));
        }
        callBack(new TlsSessionEvent(TlsSessionEvent.State.ERROR, session, null, error));
    }

    /** Calls the session callback; like ESP's void user_cb it cannot fail the session. */
    private void callBack(TlsSessionEvent event) {
        if (callback == null) {
            return;
        }
        try {
            callback.onSession(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, event.session() + ": TLS session callback failed on " + event.state(), e);
        }
    }

    private void transportError(HttpSession session, IOException e) {
        // a TLS-level failure, or a reset while the session is open; not our own close
        if (session.isOpen() && session.server().hasEventListeners()) {
            session.server()
                    .postEvent(new HttpsServerEvent.Error(session.id(), session.remoteAddress(), TlsError.of(e)));
        }
    }

    /**
     * Closing with request bytes unread makes the kernel reset the connection, which can destroy
     * the answer before a client still sending (a plain POST) reads it: read and drop what it
     * sends, within bounds, until it closes.
     */
    private static void discardInput(Socket raw, InputStream in) throws IOException {
        byte[] scratch = new byte[8192];
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        long discarded = 0;
        while (discarded < DRAIN_LIMIT) {
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                return;
            }
            raw.setSoTimeout((int) remaining);
            int n = in.read(scratch);
            if (n < 0) {
                return;
            }
            discarded += n;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Plaintext or garbage arrived where a TLS handshake was expected. */
    static final class PlaintextException extends SSLException {
        private static final long serialVersionUID = 1L;

        PlaintextException(String message) {
            super(message);
        }
    }
}
