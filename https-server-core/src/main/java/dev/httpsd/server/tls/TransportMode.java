package dev.httpsd.server.tls;

/** {@code httpd_ssl_transport_mode_t}: whether the server speaks TLS. */
public enum TransportMode {
    /** TLS on {@code portSecure} ({@code HTTPD_SSL_TRANSPORT_SECURE}). */
    SECURE,
    /** Plain HTTP on {@code portInsecure}, no TLS object created ({@code HTTPD_SSL_TRANSPORT_INSECURE}). */
    INSECURE
}
