package dev.httpsd.server.tls;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A JDK WebSocket client's listener that collects whole text messages (a large one arrives in
 * parts) and the close code the server sent.
 */
final class TextMessages implements WebSocket.Listener {

    /** Every whole text message, in order. */
    final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    /** The server's close code. */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        message.append(data);
        if (last) {
            received.add(message.toString());
            message.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
        closed.complete(code);
        return null;
    }
}
