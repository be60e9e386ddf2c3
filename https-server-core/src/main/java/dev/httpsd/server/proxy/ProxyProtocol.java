package dev.httpsd.server.proxy;

import dev.httpsd.server.proxy.ProxyHeaderException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The PROXY protocol (versions 1 and 2) on a listener: every connection must begin with a valid
 * header, sent by one of the trusted sources (the balancers), within the header timeout; the
 * header's client address then stands for the connection's peer. A connection from any other
 * peer, or without a valid header in time, is refused. Immutable.
 *
 * <p>{@link #read} takes exactly the header's bytes from the connection, nothing after it: a
 * version 2 header says its length; a version 1 line, which does not, is read one byte at a time
 * (at most 107), so the client's first bytes (a TLS ClientHello, a request) stay in the socket for
 * whatever reads it next.
 */
public final class ProxyProtocol {

    /** Ours: HAProxy and the cloud balancers send the header as soon as the connection is up. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(3);

    private final TrustedProxies trustedSources;
    private final Duration headerTimeout;
    private final ProxyHeaderReader reader;

    private ProxyProtocol(TrustedProxies trustedSources, Duration headerTimeout, int maxHeaderBytes) {
        this.trustedSources = Objects.requireNonNull(trustedSources, "trustedSources");
        if (trustedSources.isEmpty()) {
            throw new IllegalArgumentException(
                    "no trusted source: name the balancers' addresses, which alone may send a PROXY header");
        }
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("the header timeout must be positive, not " + headerTimeout);
        }
        this.headerTimeout = headerTimeout;
        this.reader = new ProxyHeaderReader(maxHeaderBytes);
    }

    /**
     * Headers accepted from {@code trustedSources} only, within {@link #DEFAULT_HEADER_TIMEOUT}, at
     * most 2048 bytes.
     *
     * @throws IllegalArgumentException when no source is trusted
     */
    public static ProxyProtocol trusting(TrustedProxies trustedSources) {
        return new ProxyProtocol(trustedSources, DEFAULT_HEADER_TIMEOUT, ProxyHeaderReader.DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * The same with another header timeout: the whole header must arrive within it, counted from
     * the session's start.
     *
     * @throws IllegalArgumentException unless positive
     */
    public ProxyProtocol headerTimeout(Duration timeout) {
        return new ProxyProtocol(trustedSources, timeout, reader.maxHeaderBytes());
    }

    /**
     * The same with another bound on a version 2 header (version 1 lines are at most 107 bytes).
     *
     * @throws IllegalArgumentException outside 232 (the largest address block) to 65551 (what the
     *     length field can announce)
     */
    public ProxyProtocol maxHeaderBytes(int bytes) {
        return new ProxyProtocol(trustedSources, headerTimeout, bytes);
    }

    public TrustedProxies trustedSources() {
        return trustedSources;
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    public int maxHeaderBytes() {
        return reader.maxHeaderBytes();
    }

    /**
     * Reads the header opening a connection just accepted, leaving the socket's read timeout as it
     * was. Called by the server on the session's thread before anything else reads the socket.
     *
     * @param in the socket's input stream
     * @throws ProxyHeaderException when the peer is not a trusted source, or the connection does
     *     not begin with a valid header within the timeout; the message says which and why
     * @throws IOException when reading fails otherwise
     */
    public ProxyHeader read(Socket socket, InputStream in) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        if (peer == null || !trustedSources.contains(peer.getAddress())) {
            throw new ProxyHeaderException(
                    Reason.UNTRUSTED_SOURCE,
                    (peer == null ? "an unknown peer" : peer.getAddress().getHostAddress())
                            + " is not a trusted source " + trustedSources.blocks());
        }
        int timeout = socket.getSoTimeout();
        try {
            ProxyHeaderReader.Result result =
                    reader.read(new SocketSource(socket, in), System.nanoTime() + headerTimeout.toNanos());
            if (result.leftover().length != 0) {
                // SocketSource never reads past a version 1 line's CRLF
                throw new IllegalStateException("read past the PROXY header");
            }
            return result.header();
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    @Override
    public String toString() {
        return "ProxyProtocol[trusted " + trustedSources.blocks() + ", header within " + headerTimeout + ", at most "
                + reader.maxHeaderBytes() + " bytes]";
    }

    /**
     * The socket as a {@link ProxySource}: each read waits at most until the deadline; the first
     * byte is read alone, and when it starts a version 1 line every following one too.
     */
    private static final class SocketSource implements ProxySource {

        private final Socket socket;
        private final InputStream in;
        private boolean first = true;
        private boolean byteByByte = true;

        SocketSource(Socket socket, InputStream in) {
            this.socket = socket;
            this.in = in;
        }

        @Override
        public int read(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException("the PROXY header timeout passed");
            }
            socket.setSoTimeout(
                    (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining))));
            int n = in.read(buffer, offset, byteByByte ? Math.min(length, 1) : length);
            if (first && n > 0) {
                first = false;
                byteByByte = buffer[offset] == ProxyHeaderReader.V1_PREFIX[0];
            }
            return n;
        }
    }
}
