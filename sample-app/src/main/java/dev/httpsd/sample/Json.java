package dev.httpsd.sample;

import java.util.Map;
import java.util.StringJoiner;

/** Just enough JSON writing for the sample's two JSON endpoints (the starter brings no JSON library). */
final class Json {

    private Json() {}

    static String object(Map<String, ?> fields) {
        StringJoiner json = new StringJoiner(",", "{", "}");
        fields.forEach((name, value) -> json.add(string(name) + ":" + value(value)));
        return json.toString();
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return string(value.toString());
    }

    static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
