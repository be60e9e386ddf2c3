package dev.httpsd.server.tls;

import dev.httpsd.server.ServerEvent;
import java.net.InetSocketAddress;

/**
 * ESP-IDF's {@code ESP_HTTPS_SERVER_EVENT} family, posted to the same listeners as the HTTP
 * events, at the points of reference §5.2: HTTPS ON_CONNECTED before the HTTP one, HTTPS
 * DISCONNECTED after the HTTP one.
 */
public sealed interface HttpsServerEvent extends ServerEvent {

    /** The event id ({@code esp_https_server_event_id_t}). */
    enum Id {
        ERROR,
        START,
        ON_CONNECTED,
        ON_DATA,
        SENT_DATA,
        DISCONNECTED,
        STOP
    }

    Id id();

    @Override
    default String name() {
        return id().name();
    }

    /** A TLS failure: handshake, or a TLS read/write ({@code HTTPS_SERVER_EVENT_ERROR}). */
    record Error(int sessionId, InetSocketAddress remoteAddress, TlsError error) implements HttpsServerEvent {
        @Override
        public Id id() {
            return Id.ERROR;
        }
    }

    /** The HTTPS server started ({@code HTTPS_SERVER_EVENT_START}). */
    record Start(InetSocketAddress localAddress, TransportMode mode)
            implements HttpsServerEvent, ServerEvent.ServerWide {
        @Override
        public Id id() {
            return Id.START;
        }
    }

    /** A TLS session was established ({@code HTTPS_SERVER_EVENT_ON_CONNECTED}). */
    record OnConnected(int sessionId, InetSocketAddress remoteAddress) implements HttpsServerEvent {
        @Override
        public Id id() {
            return Id.ON_CONNECTED;
        }
    }

    /** Bytes were decrypted by a TLS read ({@code HTTPS_SERVER_EVENT_ON_DATA}). */
    record OnData(int sessionId, InetSocketAddress remoteAddress, int length) implements HttpsServerEvent {
        @Override
        public Id id() {
            return Id.ON_DATA;
        }
    }

    /** Bytes were encrypted and sent ({@code HTTPS_SERVER_EVENT_SENT_DATA}; ESP has no length). */
    record SentData(int sessionId, InetSocketAddress remoteAddress, int length) implements HttpsServerEvent {
        @Override
        public Id id() {
            return Id.SENT_DATA;
        }
    }

    /** The TLS session was discarded ({@code HTTPS_SERVER_EVENT_DISCONNECTED}). */
    record Disconnected(int sessionId, InetSocketAddress remoteAddress) implements HttpsServerEvent {
        @Override
        public Id id() {
            return Id.DISCONNECTED;
        }
    }

    /** The HTTPS server stopped ({@code HTTPS_SERVER_EVENT_STOP}). */
    record Stop(InetSocketAddress localAddress) implements HttpsServerEvent, ServerEvent.ServerWide {
        @Override
        public Id id() {
            return Id.STOP;
        }
    }
}
