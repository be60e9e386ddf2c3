package dev.httpsd.server.tls;

import dev.httpsd.server.CloseHook;
import dev.httpsd.server.EventSink;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.OpenHook;
import dev.httpsd.server.SendFunction;
import dev.httpsd.server.TransportSetup;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * TLS installed through the HTTP session hooks, as {@code esp_https_server} does: the open hook
 * runs the handshake on the session's thread under the handshake timeout, then installs the
 * recv/send/pending overrides and the TLS session as transport context, and locks them. What a
 * transport layer needs beyond the session's public API (the raw socket, the lock, the lingering
 * close, the event sink) comes from the {@link TransportSetup} the server hands the open hook.
 */
final class TlsTransport implements OpenHook, CloseHook {

    private static final System.Logger LOG = System.getLogger(HttpsServer.class.getName());
    private static final String LOCK_REASON =
            "should not be used with esp_https_server: the HTTPS layer owns this session's transport";
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

    /** Only the server calls this hook, with the session's transport setup. */
    @Override
    public void onOpen(HttpSession session) {
        throw new UnsupportedOperationException("the TLS open hook runs only with the session's transport setup");
    }

    /** The open hook: handshake, overrides, transport context, user hook, CREATE, ON_CONNECTED. */
    @Override
    public void onOpen(HttpSession session, TransportSetup setup) throws Exception {
        Socket raw = setup.socket();
        EventSink events = setup.events();
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
            channel = layer(session, setup);
            channel.handshake();
            if (invalidateSessions) {
                channel.engine().getSession().invalidate(); // no TLS 1.2 session-id resumption either
            }
            tls = new TlsSession(channel, raw, context.clientAuth(), System.nanoTime() - started);
        } catch (PlaintextException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            boolean timedOut = e instanceof SocketTimeoutException || expired.get();
            IOException failure = timedOut
                    ? new SocketTimeoutException("TLS handshake not finished within " + handshakeMillis + " ms")
                    : e instanceof IOException io ? io : new SSLException(e);
            handshakeFailed(session, events, TlsError.of(failure));
            if (!timedOut && failure instanceof SSLException && channel != null && channel.answeredBeforeFailing()) {
                // the engine refused the handshake after our flight and sent its alert. In TLS 1.3
                // the client has finished its side before the server reads its certificate, and is
                // already sending (a request; HTTP/2's preface, SETTINGS and HEADERS): a close with
                // those bytes unread resets the connection, and the client then reports a reset or
                // a closed channel instead of the alert. Drained, it reads the alert, then the end.
                // A refused ClientHello closes at once: that client sends nothing until answered
                setup.lingerOnClose();
            }
            if (channel != null) {
                channel.free();
            }
            throw failure;
        } finally {
            guard.cancel(false);
        }
        session.setRecvOverride((s, b, off, len) -> recv(s, events, tls, b, off, len));
        session.setSendOverride(new TlsSend(events, tls));
        // Unlike recv and send, not wrapped to post the HTTPS ERROR event (reference §5.2): ESP's
        // pending can fail on a broken TLS context, but available() only counts decrypted bytes
        // already buffered, does no I/O and cannot throw. Should it ever read from the socket, it
        // must report failures through transportError as recv does.
        session.setPendingOverride(s -> tls.channel().available());
        session.setTransportContext(tls, ctx -> free(session, events, (TlsSession) ctx));
        // the channel reads through setup.rawInput(), so an idle session may wait on the socket
        setup.idleRelease(tls.channel()::releaseForIdle);
        // the session starts the protocol ALPN agreed on (h2, or HTTP/1.1 when none)
        setup.applicationProtocol(tls.applicationProtocol().orElse(null));
        setup.lock(LOCK_REASON);
        if (userOpen != null) {
            // ESP ignores open_fn's result here; a Java exception rejects the session, as without
            // TLS. Nothing was announced yet, so nothing is announced closed (see free)
            userOpen.onOpen(session, setup);
        }
        tls.announce();
        callBack(new TlsSessionEvent(TlsSessionEvent.State.CREATE, session, tls, null));
        if (events.enabled()) {
            events.post(new HttpsServerEvent.OnConnected(session.id(), session.remoteAddress()));
        }
    }

    /** The close hook: the user's hook, then TLS close_notify (bounded in time). */
    @Override
    public void onClose(HttpSession session) throws Exception {
        try {
            if (userClose != null) {
                userClose.onClose(session);
            }
        } finally {
            if (session.transportContext() instanceof TlsSession tls) {
                Socket raw = tls.socket();
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
    private TlsChannel layer(HttpSession session, TransportSetup setup) throws IOException {
        InputStream in = setup.rawInput();
        byte[] first = new byte[512];
        int n = in.read(first);
        if (n < 0) {
            throw new EOFException("connection closed before the TLS handshake");
        }
        FirstBytes kind = FirstBytes.of(first, n, answerPlaintext);
        if (kind != FirstBytes.TLS) {
            boolean http = kind == FirstBytes.PLAINTEXT_ANSWER;
            if (http) {
                setup.rawOutput().write(PLAINTEXT_ANSWER);
                // what the client still sends is drained when the session closes, so the kernel
                // sends no reset that could destroy the answer
                setup.lingerOnClose();
            }
            String message = http
                    ? "plain HTTP received on the TLS port; answered 400"
                    : "not a TLS handshake (first byte 0x" + Integer.toHexString(first[0] & 0xff) + ")";
            handshakeFailed(session, setup.events(), TlsError.of("PlaintextException", message));
            throw new PlaintextException(message);
        }
        TlsChannel channel = context.channel(in, setup.rawOutput());
        channel.preload(first, n);
        return channel;
    }

    private static int recv(HttpSession session, EventSink events, TlsSession tls, byte[] b, int off, int len)
            throws IOException {
        int n;
        try {
            n = tls.channel().read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            transportError(session, events, e);
            throw e;
        }
        if (n > 0 && events.enabled()) {
            events.post(new HttpsServerEvent.OnData(session.id(), session.remoteAddress(), n));
        }
        return n;
    }

    /**
     * The send override: encrypts what the server sends, from its arrays or, for a file, straight
     * from the direct buffer it was read into. Posts HTTPS SENT_DATA per call, and the HTTPS
     * ERROR event on a failure.
     */
    private record TlsSend(EventSink events, TlsSession tls) implements SendFunction {

        @Override
        public int send(HttpSession session, byte[] buffer, int offset, int length) throws IOException {
            try {
                tls.channel().write(ByteBuffer.wrap(buffer, offset, length));
            } catch (IOException e) {
                transportError(session, events, e);
                throw e;
            }
            sent(session, length);
            return length;
        }

        @Override
        public int send(HttpSession session, ByteBuffer buffer) throws IOException {
            int length = buffer.remaining();
            try {
                tls.channel().write(buffer);
            } catch (IOException e) {
                transportError(session, events, e);
                throw e;
            }
            sent(session, length);
            return length;
        }

        private void sent(HttpSession session, int length) {
            if (events.enabled()) {
                events.post(new HttpsServerEvent.SentData(session.id(), session.remoteAddress(), length));
            }
        }
    }

    /**
     * The transport-context free function: CLOSE callback, then HTTPS DISCONNECTED, neither for a
     * session whose user open hook rejected it, which had no CREATE and no HTTPS ON_CONNECTED; then,
     * for every session, the engine's native state (OpenSSL) is given back.
     */
    private void free(HttpSession session, EventSink events, TlsSession tls) {
        try {
            if (tls.announced()) {
                announceClosed(session, events, tls);
            }
        } finally {
            tls.channel().free();
        }
    }

    private void announceClosed(HttpSession session, EventSink events, TlsSession tls) {
        try {
            callBack(new TlsSessionEvent(TlsSessionEvent.State.CLOSE, session, tls, null));
        } finally {
            if (events.enabled()) {
                events.post(new HttpsServerEvent.Disconnected(session.id(), session.remoteAddress()));
            }
        }
    }

    private void handshakeFailed(HttpSession session, EventSink events, TlsError error) {
        LOG.log(Level.DEBUG, () -> label(session) + ": TLS handshake failed: " + error);
        if (events.enabled()) {
            events.post(new HttpsServerEvent.Error(session.id(), session.remoteAddress(), error));
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
            LOG.log(Level.WARNING, label(event.session()) + ": TLS session callback failed on " + event.state(), e);
        }
    }

    private static void transportError(HttpSession session, EventSink events, IOException e) {
        // a TLS-level failure, or a reset while the session is open; not our own close
        if (session.isOpen() && events.enabled()) {
            events.post(new HttpsServerEvent.Error(session.id(), session.remoteAddress(), TlsError.of(e)));
        }
    }

    /** How log lines name a session, as the core's own lines do. */
    private static String label(HttpSession session) {
        return "session " + session.id() + " (" + session.remoteAddress() + ")";
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
