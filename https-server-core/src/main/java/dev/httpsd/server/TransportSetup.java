package dev.httpsd.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * What a transport layer (the HTTPS layer, or your own) gets besides the session when the server
 * calls its {@linkplain OpenHook#onOpen(HttpSession, TransportSetup) open hook}: the accepted
 * socket underneath the session's transport functions, the means to lock them once installed, the
 * lingering close, and the server's event sink. Handlers never see it: a TLS session's raw socket
 * is the transport layer's, not theirs.
 *
 * <p>Valid for the session's life; meant for the open hook and the functions it installs.
 */
public interface TransportSetup {

    /** The accepted TCP socket: options, and a close to end a stuck handshake. */
    Socket socket();

    /** The socket's own input, under the session's receive function. */
    InputStream rawInput();

    /** The socket's own output, under the session's send function. */
    OutputStream rawOutput();

    /**
     * Freezes the transport: from now on the session's override and transport-context setters
     * throw {@link IllegalStateException} with {@code reason}. A transport layer calls this once it
     * has installed itself, so nothing can silently break it.
     */
    void lock(String reason);

    /**
     * The session will close with input unread (an answer to a client that still sends): when it
     * does, it half-closes and drains what the client sends for a short, bounded time, so that the
     * kernel does not reset the connection and destroy the answer before the client reads it.
     */
    void lingerOnClose();

    /** The server's event sink, to post the transport's own event family to its listeners. */
    EventSink events();

    /**
     * The application protocol the connection speaks, as agreed by the transport (TLS ALPN, e.g.
     * {@code http/1.1}); the session starts that protocol once the open hook returns. Without a
     * call, or for a name the server does not speak, HTTP/1.1.
     */
    void applicationProtocol(String name);
}
