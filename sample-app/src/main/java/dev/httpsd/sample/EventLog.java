package dev.httpsd.sample;

import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.autoconfigure.events.HttpServerDataEvent;
import dev.httpsd.autoconfigure.events.HttpServerErrorEvent;
import dev.httpsd.autoconfigure.events.HttpServerSentDataEvent;
import dev.httpsd.autoconfigure.events.HttpsServerDataEvent;
import dev.httpsd.autoconfigure.events.HttpsServerErrorEvent;
import dev.httpsd.autoconfigure.events.HttpsServerSentDataEvent;
import dev.httpsd.autoconfigure.events.ServerApplicationEvent;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Receives every server event (both families) with {@code @EventListener} and keeps the last
 * {@value #CAPACITY}; {@code GET /events?limit=N} returns the last N as JSON. Connection-level
 * events are logged at INFO, the several-per-request ones (headers, data) at DEBUG.
 */
@Component
class EventLog {

    /** Posted several times per request or per TLS record: DEBUG, or the log drowns. */
    private static final Set<String> CHATTY = Set.of("ON_HEADER", "HEADERS_SENT", "ON_DATA", "SENT_DATA");

    static final int CAPACITY = 1000;

    private static final Log LOG = LogFactory.getLog(EventLog.class);

    record Entry(
            String type, String family, String id, int sessionId, String remoteAddress, String payload, Instant time) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final JsonMapper json;

    EventLog(JsonMapper json) {
        this.json = json;
    }

    @EventListener
    void on(ServerApplicationEvent event) {
        String family = event.getClass().getSimpleName().startsWith("Https") ? "https" : "http";
        Entry entry = new Entry(
                event.getClass().getSimpleName(),
                family,
                event.eventName(),
                event.sessionId(),
                event.remoteAddress() == null ? null : event.remoteAddress().toString(),
                payload(event),
                Instant.now());
        boolean chatty = CHATTY.contains(entry.id());
        if (chatty ? LOG.isDebugEnabled() : LOG.isInfoEnabled()) {
            String line = family.toUpperCase(Locale.ROOT) + " " + entry.id() + " session=" + entry.sessionId()
                    + (entry.payload() == null ? "" : " " + entry.payload());
            if (chatty) {
                LOG.debug(line);
            } else {
                LOG.info(line);
            }
        }
        lock.lock();
        try {
            if (entries.size() == CAPACITY) {
                entries.removeFirst();
            }
            entries.addLast(entry);
        } finally {
            lock.unlock();
        }
    }

    List<Entry> last(int limit) {
        lock.lock();
        try {
            List<Entry> all = new ArrayList<>(entries);
            return all.subList(Math.max(0, all.size() - limit), all.size());
        } finally {
            lock.unlock();
        }
    }

    @UriMapping(uri = "/events")
    void events(HttpRequest request, HttpResponse response) throws IOException {
        int limit;
        try {
            limit = Integer.parseInt(request.queryValue("limit").orElse("50"));
        } catch (NumberFormatException e) {
            response.sendError(dev.httpsd.server.HttpError.BAD_REQUEST_400, "limit must be a number");
            return;
        }
        List<Entry> entries = last(Math.max(0, Math.min(limit, CAPACITY)));
        response.contentType("application/json").send(json.writeValueAsBytes(entries));
    }

    private static String payload(ServerApplicationEvent event) {
        return switch (event) {
            case HttpServerDataEvent data -> "length=" + data.length();
            case HttpServerSentDataEvent sent -> "length=" + sent.length();
            case HttpServerErrorEvent error -> "error=" + error.error().status();
            case HttpsServerDataEvent data -> "length=" + data.length();
            case HttpsServerSentDataEvent sent -> "length=" + sent.length();
            case HttpsServerErrorEvent error -> "error=" + error.error();
            default -> null;
        };
    }
}
