package dev.httpsd.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Received header fields in order; lookups are case-insensitive and first-match, as in ESP. */
final class HeaderBlock {

    private String[] names = new String[8];
    private String[] values = new String[8];
    private int size;

    void add(String name, String value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    /** Replaces the value of the first field with this name, or adds the field. */
    void set(String name, String value) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                values[i] = value;
                return;
            }
        }
        add(name, value);
    }

    int size() {
        return size;
    }

    String first(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    Optional<String> firstValue(String name) {
        return Optional.ofNullable(first(name));
    }

    List<String> all(String name) {
        List<String> found = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                found.add(values[i]);
            }
        }
        return found;
    }

    int count(String name) {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                count++;
            }
        }
        return count;
    }

    List<String> names() {
        return List.of(Arrays.copyOf(names, size));
    }
}
