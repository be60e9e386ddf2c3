package dev.httpsd.autoconfigure.actuate;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Writes Actuator endpoint results as JSON without a JSON library: maps, collections, arrays,
 * records and JavaBean getters, with Actuator's conventions ({@code Status} as its code).
 */
final class JsonWriter {

    private static final int MAX_DEPTH = 16;

    private JsonWriter() {}

    static String write(Object value) {
        StringBuilder json = new StringBuilder();
        write(json, value, 0);
        return json.toString();
    }

    private static void write(StringBuilder json, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            string(json, String.valueOf(value));
            return;
        }
        switch (value) {
            case null -> json.append("null");
            case Optional<?> optional -> write(json, optional.orElse(null), depth);
            case CharSequence text -> string(json, text.toString());
            case Number number when Double.isFinite(number.doubleValue()) -> json.append(number);
            case Number number -> string(json, number.toString());
            case Boolean bool -> json.append(bool);
            case Enum<?> constant -> string(json, constant.name());
            case Map<?, ?> map -> {
                json.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (entry.getValue() == null) {
                        continue;
                    }
                    first = comma(json, first);
                    string(json, String.valueOf(entry.getKey()));
                    json.append(':');
                    write(json, entry.getValue(), depth + 1);
                }
                json.append('}');
            }
            case Collection<?> collection -> array(json, collection.toArray(), depth);
            case Object[] array -> array(json, array, depth);
            default -> object(json, value, depth);
        }
    }

    private static void array(StringBuilder json, Object[] values, int depth) {
        json.append('[');
        boolean first = true;
        for (Object element : values) {
            first = comma(json, first);
            write(json, element, depth + 1);
        }
        json.append(']');
    }

    private static void object(StringBuilder json, Object value, int depth) {
        Class<?> type = value.getClass();
        if (type.getName().endsWith(".Status") && hasGetter(type, "getCode")) {
            string(json, String.valueOf(invoke(value, "getCode")));
            return;
        }
        if (type.getPackageName().startsWith("java.")) {
            string(json, value.toString());
            return;
        }
        json.append('{');
        boolean first = true;
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                Object field = invoke(value, component.getName());
                if (field != null) {
                    first = comma(json, first);
                    string(json, component.getName());
                    json.append(':');
                    write(json, field, depth + 1);
                }
            }
        } else {
            Method[] methods = type.getMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method method : methods) {
                String property = property(method);
                if (property == null) {
                    continue;
                }
                Object field = invoke(value, method.getName());
                if (field != null) {
                    first = comma(json, first);
                    string(json, property);
                    json.append(':');
                    write(json, field, depth + 1);
                }
            }
        }
        json.append('}');
    }

    private static String property(Method method) {
        if (method.getParameterCount() != 0
                || Modifier.isStatic(method.getModifiers())
                || method.getDeclaringClass() == Object.class
                || method.getReturnType() == void.class) {
            return null;
        }
        String name = method.getName();
        if (name.startsWith("get") && name.length() > 3) {
            return Character.toLowerCase(name.charAt(3)) + name.substring(4);
        }
        if (name.startsWith("is") && name.length() > 2 && method.getReturnType() == boolean.class) {
            return Character.toLowerCase(name.charAt(2)) + name.substring(3);
        }
        return null;
    }

    private static boolean hasGetter(Class<?> type, String name) {
        try {
            type.getMethod(name);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static Object invoke(Object target, String name) {
        try {
            Method method = target.getClass().getMethod(name);
            method.setAccessible(true);
            return method.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static boolean comma(StringBuilder json, boolean first) {
        if (!first) {
            json.append(',');
        }
        return false;
    }

    static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
