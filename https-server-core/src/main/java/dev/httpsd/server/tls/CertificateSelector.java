package dev.httpsd.server.tls;

/**
 * Chooses the server certificate for a handshake from the name the client asked for (SNI), like
 * ESP's {@code cert_select_cb}. Called during every full handshake; return quickly (cache).
 */
@FunctionalInterface
public interface CertificateSelector {

    /**
     * @param serverName the SNI host name the client sent, or {@code null} when it sent none
     * @return the material to present, or {@code null} to fall back to the configured SNI map and
     *     default certificate (the handshake fails if there is none)
     */
    KeyMaterial select(String serverName);
}
