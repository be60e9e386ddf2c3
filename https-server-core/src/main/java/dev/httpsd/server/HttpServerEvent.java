package dev.httpsd.server;

import dev.httpsd.server.proxy.ProxyHeaderException;
import java.net.InetSocketAddress;

/**
 * ESP-IDF's {@code ESP_HTTP_SERVER_EVENT} family, posted at the same points as ESP (reference
 * §5.1). Session events carry the session id and the peer address; the per-request events
 * (ON_HEADER, HEADERS_SENT, ON_DATA, SENT_DATA) also carry the HTTP/2 stream id of their request,
 * 0 on HTTP/1.1 (where a connection has one request at a time, and ESP has no such field).
 */
public sealed interface HttpServerEvent extends ServerEvent {

    /** The event id ({@code esp_http_server_event_id_t}); also the coarse {@link HttpServer#state()}. */
    enum Id {
        ERROR,
        START,
        ON_CONNECTED,
        ON_HEADER,
        HEADERS_SENT,
        ON_DATA,
        SENT_DATA,
        DISCONNECTED,
        STOP,
        /** Not in ESP: a connection refused for its PROXY protocol header. */
        PROXY_REFUSED
    }

    Id id();

    @Override
    default String name() {
        return id().name();
    }

    /** An error response was sent ({@code HTTP_SERVER_EVENT_ERROR}, payload {@code httpd_err_code_t}). */
    record Error(int sessionId, InetSocketAddress remoteAddress, HttpError error) implements HttpServerEvent {
        @Override
        public Id id() {
            return Id.ERROR;
        }
    }

    /** The server started listening ({@code HTTP_SERVER_EVENT_START}). */
    record Start(InetSocketAddress localAddress) implements HttpServerEvent, ServerEvent.ServerWide {
        @Override
        public Id id() {
            return Id.START;
        }
    }

    /** A session was accepted and its open hook succeeded ({@code HTTP_SERVER_EVENT_ON_CONNECTED}). */
    record OnConnected(int sessionId, InetSocketAddress remoteAddress) implements HttpServerEvent {
        @Override
        public Id id() {
            return Id.ON_CONNECTED;
        }
    }

    /**
     * A request's header block was received, once per request ({@code HTTP_SERVER_EVENT_ON_HEADER}).
     *
     * @param streamId the request's HTTP/2 stream, 0 on HTTP/1.1
     */
    record OnHeader(int sessionId, InetSocketAddress remoteAddress, int streamId) implements HttpServerEvent {
        /** An HTTP/1.1 request's (stream id 0). */
        public OnHeader(int sessionId, InetSocketAddress remoteAddress) {
            this(sessionId, remoteAddress, 0);
        }

        @Override
        public Id id() {
            return Id.ON_HEADER;
        }
    }

    /**
     * A response's header block was written ({@code HTTP_SERVER_EVENT_HEADERS_SENT}).
     *
     * @param streamId the request's HTTP/2 stream, 0 on HTTP/1.1
     */
    record HeadersSent(int sessionId, InetSocketAddress remoteAddress, int streamId) implements HttpServerEvent {
        /** An HTTP/1.1 response's (stream id 0). */
        public HeadersSent(int sessionId, InetSocketAddress remoteAddress) {
            this(sessionId, remoteAddress, 0);
        }

        @Override
        public Id id() {
            return Id.HEADERS_SENT;
        }
    }

    /**
     * Request body bytes were received ({@code HTTP_SERVER_EVENT_ON_DATA}).
     *
     * @param streamId the request's HTTP/2 stream, 0 on HTTP/1.1
     */
    record OnData(int sessionId, InetSocketAddress remoteAddress, int length, int streamId) implements HttpServerEvent {
        /** HTTP/1.1 request body bytes (stream id 0). */
        public OnData(int sessionId, InetSocketAddress remoteAddress, int length) {
            this(sessionId, remoteAddress, length, 0);
        }

        @Override
        public Id id() {
            return Id.ON_DATA;
        }
    }

    /**
     * Response body bytes were sent, per send or chunk ({@code HTTP_SERVER_EVENT_SENT_DATA}).
     *
     * @param streamId the request's HTTP/2 stream, 0 on HTTP/1.1
     */
    record SentData(int sessionId, InetSocketAddress remoteAddress, int length, int streamId)
            implements HttpServerEvent {
        /** HTTP/1.1 response body bytes (stream id 0). */
        public SentData(int sessionId, InetSocketAddress remoteAddress, int length) {
            this(sessionId, remoteAddress, length, 0);
        }

        @Override
        public Id id() {
            return Id.SENT_DATA;
        }
    }

    /** A session was closed ({@code HTTP_SERVER_EVENT_DISCONNECTED}). */
    record Disconnected(int sessionId, InetSocketAddress remoteAddress) implements HttpServerEvent {
        @Override
        public Id id() {
            return Id.DISCONNECTED;
        }
    }

    /** The server stopped ({@code HTTP_SERVER_EVENT_STOP}). */
    record Stop(InetSocketAddress localAddress) implements HttpServerEvent, ServerEvent.ServerWide {
        @Override
        public Id id() {
            return Id.STOP;
        }
    }

    /**
     * A connection was refused for its PROXY protocol header (not in ESP; only with {@link
     * HttpServerConfig#proxyProtocol()}): its peer is not a trusted source, or no complete, valid
     * header came in time. Posted instead of ON_CONNECTED, before the session's DISCONNECTED; no
     * open hook or handler saw the connection.
     *
     * @param remoteAddress the connection's peer (the balancer, or whoever connected)
     * @param reason what was wrong, for metrics; {@code CLOSED} also when the peer reset the
     *     connection
     * @param message what was wrong, precisely, for a log line
     */
    record ProxyRefused(
            int sessionId, InetSocketAddress remoteAddress, ProxyHeaderException.Reason reason, String message)
            implements HttpServerEvent {
        @Override
        public Id id() {
            return Id.PROXY_REFUSED;
        }
    }
}
