package dev.httpsd.server.tls;

import dev.httpsd.server.HttpSession;

/**
 * What {@link TlsSessionCallback} receives ({@code esp_https_server_user_cb_arg_t}).
 *
 * @param state CREATE after a handshake (and the user's open hook), CLOSE before the TLS session
 *     is discarded, ERROR when a handshake failed
 * @param session the HTTP session (its remote address identifies the peer)
 * @param tls the TLS session; {@code null} for ERROR
 * @param error the failure for ERROR, else {@code null}
 */
public record TlsSessionEvent(State state, HttpSession session, TlsSession tls, TlsError error) {

    /** {@code httpd_ssl_user_cb_state_t}. */
    public enum State {
        CREATE,
        CLOSE,
        ERROR
    }
}
