package dev.httpsd.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The URI template variables of one request: names shared with the template, decoded values. */
final class PathVariables {

    private final String[] names;
    private final String[] values;

    PathVariables(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    Optional<String> get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return Optional.of(values[i]);
            }
        }
        return Optional.empty();
    }

    Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return Collections.unmodifiableMap(map);
    }
}
