package dev.httpsd.server.tls;

/**
 * Which TLS implementation runs the handshakes and encrypts the records. Both sit behind the same
 * TLS layer: hooks, events, {@link TlsSession}, SNI, client authentication, ALPN and reload work
 * the same way; the README's "TLS engines" section lists the differences.
 */
public enum TlsEngine {
    /** The JDK's own TLS (JSSE). No extra dependency. */
    JDK,
    /**
     * BoringSSL through Netty's OpenSSL {@code SSLEngine} (used alone: no Netty channels or event
     * loops). Full handshakes cost the server about a quarter of JSSE's CPU. Needs {@code
     * io.netty:netty-handler} and {@code io.netty:netty-tcnative-boringssl-static} on the class
     * path; key material must be given as {@link KeyMaterial} (not as a ready {@code SSLContext}),
     * with EC or RSA keys.
     */
    OPENSSL
}
