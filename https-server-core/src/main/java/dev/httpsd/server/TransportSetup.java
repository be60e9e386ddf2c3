package dev.httpsd.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.BooleanSupplier;

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

    /**
     * The socket's input, under the session's receive function: what a layer's receive function
     * reads (not the socket's own stream, which may be one byte behind: see {@link #idleRelease}).
     */
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

    /**
     * Lets an idle session wait for its client's next bytes without the layer's read buffers or
     * its read call on the stack. Before each wait between requests or frames the session asks
     * {@code release}: a layer that holds no input, received or decoded, gives back its read
     * buffers and answers true, and the session then waits on the socket itself, reading the first
     * byte that arrives ahead of the receive function; that byte is the first that {@link
     * #rawInput()} returns. A layer holding input answers false, and the session waits through the
     * receive function as it does for a layer that never calls this. Called on the session's
     * thread; like the overrides, only before {@link #lock}.
     */
    void idleRelease(BooleanSupplier release);

    /** The server's event sink, to post the transport's own event family to its listeners. */
    EventSink events();

    /**
     * The application protocol the connection speaks, as agreed by the transport (TLS ALPN, e.g.
     * {@code http/1.1}); the session starts that protocol once the open hook returns. Without a
     * call, or for a name the server does not speak, HTTP/1.1.
     */
    void applicationProtocol(String name);
}
