package dev.httpsd.server;

import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * The server cannot listen on the address and port it was configured with: the port is in use,
 * the address is not one of this host's, or the process may not bind it. The operating system's
 * reason is the cause.
 */
public final class ListenException extends BindException {

    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress address;

    /**
     * @param address the address and port asked for; an unresolved or wildcard address is kept as given
     * @param cause what the operating system reported
     */
    public ListenException(InetSocketAddress address, Exception cause) {
        super("cannot listen on " + describe(address) + ": " + cause.getMessage()
                + (cause instanceof BindException ? " (is another server using the port?)" : ""));
        this.address = address;
        initCause(cause);
    }

    /** The address and port the server was asked to listen on. */
    public InetSocketAddress address() {
        return address;
    }

    /** The port the server was asked to listen on. */
    public int port() {
        return address.getPort();
    }

    private static String describe(InetSocketAddress address) {
        return (address.getAddress() == null || address.getAddress().isAnyLocalAddress()
                        ? "*"
                        : address.getAddress().getHostAddress())
                + ":" + address.getPort();
    }
}
