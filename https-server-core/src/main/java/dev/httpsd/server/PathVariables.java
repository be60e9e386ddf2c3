package dev.httpsd.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The URI template variables of one request: names shared with the template, decoded values. Part
 * of the connection SPI (no compatibility promise): handlers read them through {@link
 * HttpRequest#pathVariable}.
 */
public final class PathVariables {

    private final String[] names;
    private final String[] values;

    PathVariables(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** The value of one variable, empty when the template has no such variable. */
    public Optional<String> get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return Optional.of(values[i]);
            }
        }
        return Optional.empty();
    }

    /** Every variable in template order. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return Collections.unmodifiableMap(map);
    }
}
