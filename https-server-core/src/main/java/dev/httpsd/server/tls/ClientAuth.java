package dev.httpsd.server.tls;

/** Whether clients must present a certificate (mutual TLS). */
public enum ClientAuth {
    /** No client certificate is requested. */
    NONE,
    /**
     * A certificate is requested; clients without one are accepted, a certificate that does not
     * verify is refused. ESP's {@code client_cert_authmode_optional} differs there: mbedTLS's
     * optional mode continues the handshake and leaves the verification result to the application.
     */
    OPTIONAL,
    /** A verified client certificate is required (ESP's behaviour whenever a CA is set). */
    REQUIRED
}
