package dev.httpsd.server.tls;

/**
 * Certificates or keys that cannot be used, with the reason and the source (file, location or
 * description) they came from. Thrown when material is loaded and when a server starts.
 */
public final class TlsMaterialException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the material. */
    public enum Reason {
        /** The file or resource cannot be read. */
        UNREADABLE,
        /** The content is not valid PEM/DER/PKCS#12, or holds no usable object. */
        MALFORMED,
        /** A password is needed, or the one given is wrong. */
        WRONG_PASSWORD,
        /** The private key does not belong to the certificate. */
        KEY_MISMATCH,
        /** A certificate's validity ended. */
        EXPIRED,
        /** A certificate's validity has not begun. */
        NOT_YET_VALID,
        /** Material is missing or contradictory in the configuration. */
        MISSING
    }

    private final Reason reason;
    private final String source;

    public TlsMaterialException(Reason reason, String source, String message) {
        this(reason, source, message, null);
    }

    public TlsMaterialException(Reason reason, String source, String message, Throwable cause) {
        super(message + (source == null ? "" : " [" + source + "]"), cause);
        this.reason = reason;
        this.source = source;
    }

    public Reason reason() {
        return reason;
    }

    /** Where the material came from, or {@code null}. */
    public String source() {
        return source;
    }
}
