package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.tls.HttpsServerEvent;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The server events {@code https-server.events.publish} names, by event slot: HTTP ids first,
 * then HTTPS ids. Empty means "those a listener asks for by type".
 */
final class EventSelection {

    static final String PROPERTY = "https-server.events.publish";

    /** Slots of the HTTPS family start here. */
    static final int HTTP_ID_COUNT = HttpServerEvent.Id.values().length;

    static final int SLOTS = HTTP_ID_COUNT + HttpsServerEvent.Id.values().length;

    private static final String HTTP_PREFIX = "HTTP_SERVER_EVENT_";
    private static final String HTTPS_PREFIX = "HTTPS_SERVER_EVENT_";

    /** Selected slots, or {@code null} when nothing was named. */
    private final boolean[] selected;

    private EventSelection(boolean[] selected) {
        this.selected = selected;
    }

    /**
     * @throws InvalidConfigurationPropertyValueException for a name that is not {@code all},
     *     {@code http}, {@code https} or an ESP event name
     */
    static EventSelection parse(List<String> names) {
        if (names == null || names.isEmpty()) {
            return new EventSelection(null);
        }
        boolean[] selected = new boolean[SLOTS];
        for (String raw : names) {
            String name = raw.trim().toUpperCase(Locale.ROOT);
            switch (name) {
                case "ALL" -> java.util.Arrays.fill(selected, true);
                case "HTTP" -> java.util.Arrays.fill(selected, 0, HTTP_ID_COUNT, true);
                case "HTTPS" -> java.util.Arrays.fill(selected, HTTP_ID_COUNT, SLOTS, true);
                default -> selected[slotOf(raw, name)] = true;
            }
        }
        return new EventSelection(selected);
    }

    private static int slotOf(String raw, String name) {
        try {
            if (name.startsWith(HTTPS_PREFIX)) {
                return HTTP_ID_COUNT
                        + HttpsServerEvent.Id.valueOf(name.substring(HTTPS_PREFIX.length()))
                                .ordinal();
            }
            if (name.startsWith(HTTP_PREFIX)) {
                return HttpServerEvent.Id.valueOf(name.substring(HTTP_PREFIX.length()))
                        .ordinal();
            }
        } catch (IllegalArgumentException e) {
            // not an id of the family: reported below
        }
        throw new InvalidConfigurationPropertyValueException(
                PROPERTY,
                raw,
                "not all, http, https or an ESP event name such as HTTP_SERVER_EVENT_DISCONNECTED or"
                        + " HTTPS_SERVER_EVENT_ON_DATA");
    }

    /** Whether events were named explicitly (else a listener's type decides). */
    boolean explicit() {
        return selected != null;
    }

    boolean selects(int slot) {
        return selected[slot];
    }
}
