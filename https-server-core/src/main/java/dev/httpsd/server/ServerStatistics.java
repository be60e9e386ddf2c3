package dev.httpsd.server;

/**
 * Counters of a running server since it started, read with {@link HttpServer#statistics()}.
 *
 * @param openSessions sessions open now
 * @param sessionsOpened sessions accepted
 * @param sessionsClosed sessions closed, for any reason
 * @param lruPurges sessions closed by LRU purge to make room for a new client
 * @param requests requests completed (responses sent, including error responses)
 */
public record ServerStatistics(
        int openSessions, long sessionsOpened, long sessionsClosed, long lruPurges, long requests) {}
