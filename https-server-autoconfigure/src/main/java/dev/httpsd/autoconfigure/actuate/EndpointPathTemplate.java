package dev.httpsd.autoconfigure.actuate;

import dev.httpsd.server.UriMatcher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.util.StringUtils;

/**
 * A path of Actuator's web-endpoint model ({@code /actuator/loggers/{name}}, {@code
 * /actuator/health/{*path}}) matched against request paths segment by segment, as Spring MVC
 * matches the same paths for Boot's own servers: {@code {name}} takes one non-empty segment,
 * {@code {*name}} (last only) takes every remaining segment, none included; literals compare
 * exactly, and a trailing slash is a segment of its own, so {@code /actuator/} is not {@code
 * /actuator}. Variables come out percent-decoded as UTF-8.
 */
final class EndpointPathTemplate {

    private final String template;
    private final String[] segments;
    private final String remainder;

    private EndpointPathTemplate(String template) {
        this.template = template;
        String[] parts = split(template);
        String last = parts.length == 0 ? "" : parts[parts.length - 1];
        if (last.startsWith("{*") && last.endsWith("}")) {
            this.segments = Arrays.copyOf(parts, parts.length - 1);
            this.remainder = last.substring(2, last.length() - 1);
        } else {
            this.segments = parts;
            this.remainder = null;
        }
    }

    static EndpointPathTemplate of(String template) {
        return new EndpointPathTemplate(template);
    }

    /**
     * The core server's {@code UriMatcher} for handlers registered with templates: it parses
     * each template once. Matching never decodes, so a malformed escape cannot fail routing; the
     * handler answers it with 400.
     */
    static UriMatcher matcher() {
        Map<String, EndpointPathTemplate> parsed = new ConcurrentHashMap<>();
        return (template, path) ->
                parsed.computeIfAbsent(template, EndpointPathTemplate::of).matches(path);
    }

    boolean matches(String path) {
        return match(path, false) != null;
    }

    String template() {
        return template;
    }

    /** Whether a {@code {*name}} segment takes the rest of the path. */
    boolean capturesRemainder() {
        return remainder != null;
    }

    /** How many single-segment variables it has: fewer is more specific. */
    int variableCount() {
        int count = 0;
        for (String segment : segments) {
            if (isVariable(segment)) {
                count++;
            }
        }
        return count;
    }

    /**
     * The variables of a matching path: single segments as strings, the remainder as a {@code
     * String[]}; {@code null} when the path does not match.
     *
     * @throws IllegalArgumentException when a variable holds a malformed percent escape
     */
    Map<String, Object> variables(String path) {
        return match(path, true);
    }

    private Map<String, Object> match(String path, boolean decode) {
        String[] parts = split(path);
        if (parts.length < segments.length || (remainder == null && parts.length != segments.length)) {
            return null;
        }
        Map<String, Object> variables = null;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (!isVariable(segment)) {
                if (!segment.equals(parts[i])) {
                    return null;
                }
                continue;
            }
            if (parts[i].isEmpty()) {
                return null;
            }
            if (variables == null) {
                variables = new LinkedHashMap<>();
            }
            variables.put(segment.substring(1, segment.length() - 1), decode ? decode(parts[i]) : parts[i]);
        }
        if (variables == null) {
            variables = new LinkedHashMap<>();
        }
        if (remainder != null) {
            List<String> rest = new ArrayList<>();
            for (int i = segments.length; i < parts.length; i++) {
                rest.add(decode ? decode(parts[i]) : parts[i]);
            }
            variables.put(remainder, rest.toArray(String[]::new));
        }
        return variables;
    }

    private static boolean isVariable(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** "/a/b" → [a, b]; "/" and "" → []; "/a/" → [a, ""]. */
    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    private static String decode(String segment) {
        return segment.indexOf('%') < 0 ? segment : StringUtils.uriDecode(segment, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return template;
    }
}
