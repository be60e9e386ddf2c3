package dev.httpsd.server.tls;

/**
 * The session callback ({@code httpd_ssl_config_t.user_cb}): called on the session's thread.
 */
@FunctionalInterface
public interface TlsSessionCallback {

    void onSession(TlsSessionEvent event);
}
