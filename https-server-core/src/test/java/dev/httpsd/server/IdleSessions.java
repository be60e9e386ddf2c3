package dev.httpsd.server;

/**
 * What tests may see of the idle poller ({@code IdlePoller}): how many sessions wait parked, with
 * no thread of their own, and whether a session's last thread has ended. Public for the TLS tests.
 */
public final class IdleSessions {

    private IdleSessions() {}

    /** Parks the server's idle sessions however few are open (by default only above 128). */
    public static void parkAlways(HttpServer server) {
        server.sessions().parkAbove(0);
    }

    /** Sessions of the server parked on its poller now. */
    public static int parked(HttpServer server) {
        return server.idlePoller().parkedCount();
    }

    /** Whether the session is parked: idle, and holding no thread, not even an ended one. */
    public static boolean parkedWithoutThread(HttpServer server, int sessionId) {
        return server.session(sessionId)
                .map(s -> (Session) s)
                .filter(Session::isIdle)
                .map(s -> s.thread() == null)
                .orElse(false);
    }

    /** Waits until {@code count} sessions of the server are parked, each without a thread. */
    public static void awaitParked(HttpServer server, int count) {
        Await.until(
                count + " sessions parked without a thread",
                () -> parked(server) == count
                        && server.clientList().stream().allMatch(id -> parkedWithoutThread(server, id)));
    }
}
