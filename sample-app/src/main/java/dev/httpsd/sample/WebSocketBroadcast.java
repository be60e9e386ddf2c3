package dev.httpsd.sample;

import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.WsClientInfo;
import dev.httpsd.server.WsFrame;
import dev.httpsd.server.tls.HttpsServer;
import java.time.Instant;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends a periodic server message to every WebSocket client, walking the client list and queueing
 * each send on the server's work queue (ESP's wss_server example). Spring Boot's task scheduler
 * runs it every {@code sample.broadcast-interval}.
 */
@Component
class WebSocketBroadcast {

    private final HttpsServerLifecycle lifecycle;

    WebSocketBroadcast(HttpsServerLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Scheduled(
            fixedRateString = "${sample.broadcast-interval:5s}",
            initialDelayString = "${sample.broadcast-interval:5s}")
    void broadcast() {
        HttpsServer server = lifecycle.server();
        if (server != null) {
            broadcast(server.httpServer());
        }
    }

    /** Queues the message for every open WebSocket session; returns how many were addressed. */
    static int broadcast(HttpServer server) {
        if (server.isStopped()) {
            return 0;
        }
        WsFrame message = WsFrame.text("server time " + Instant.now());
        int sent = 0;
        for (int session : server.clientList()) {
            if (server.webSocketState(session) == WsClientInfo.WEBSOCKET) {
                server.sendFrameAsync(session, message);
                sent++;
            }
        }
        return sent;
    }
}
