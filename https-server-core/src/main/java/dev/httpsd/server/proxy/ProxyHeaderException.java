package dev.httpsd.server.proxy;

import java.io.IOException;

/**
 * A connection that did not begin with a complete, valid PROXY protocol header: the connection is
 * to be closed, nothing of it served. The message says precisely what was wrong, for one log line.
 *
 * <p>Carries no stack trace: a peer can cause these at the rate it opens connections, and where
 * the header broke is in the message.
 */
public final class ProxyHeaderException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What kind of failure, for metrics and log levels. */
    public enum Reason {
        /** The connection's peer is not among the trusted sources: it may not send a header at all. */
        UNTRUSTED_SOURCE,
        /** The first bytes are neither version's signature: no PROXY header at all (a direct client?). */
        NOT_PROXY_PROTOCOL,
        /** The peer closed the connection before the header was complete (or before sending any). */
        CLOSED,
        /** The header was not complete by the deadline. */
        TIMEOUT,
        /** Version 1: no CRLF within the first 107 bytes. */
        LINE_TOO_LONG,
        /** Version 2: the header announces more bytes than the configured limit. */
        HEADER_TOO_LONG,
        /** The header breaks the format: version, command, family, spacing, line ending, lengths. */
        MALFORMED,
        /** An address or port is not valid for its family. */
        BAD_ADDRESS,
        /** Version 2: a TLV overruns the header, repeats, or has a value its type does not allow. */
        BAD_TLV,
        /** Version 2: the CRC32C TLV does not match the header. */
        CHECKSUM_MISMATCH
    }

    private final Reason reason;

    ProxyHeaderException(Reason reason, String message) {
        super("PROXY header: " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public Throwable fillInStackTrace() {
        return this;
    }
}
