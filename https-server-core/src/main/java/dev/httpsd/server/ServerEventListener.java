package dev.httpsd.server;

/**
 * Receives server events: the {@link HttpServerEvent} family and, for HTTPS servers, the TLS
 * family. Called synchronously on the thread where the event happens (usually the session's),
 * so events of one session arrive in order; a slow listener slows that session only. An
 * exception thrown by a listener is logged and ignored.
 */
@FunctionalInterface
public interface ServerEventListener {

    void onEvent(ServerEvent event);
}
