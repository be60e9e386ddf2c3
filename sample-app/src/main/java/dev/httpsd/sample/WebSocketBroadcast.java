package dev.httpsd.sample;

import dev.httpsd.autoconfigure.HttpsServerInitializedEvent;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.WsClientInfo;
import dev.httpsd.server.WsFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends a periodic server message to every WebSocket client, walking the client list and queueing
 * each send on the server's work queue (ESP's wss_server example).
 */
@Component
class WebSocketBroadcast implements DisposableBean {

    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ws-broadcast");
        thread.setDaemon(true);
        return thread;
    });

    WebSocketBroadcast(@Value("${sample.broadcast-interval:5s}") Duration interval) {
        this.interval = interval;
    }

    @EventListener
    void start(HttpsServerInitializedEvent event) {
        HttpServer server = event.server().httpServer();
        timer.scheduleAtFixedRate(
                () -> broadcast(server), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
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

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
