package dev.httpsd.autoconfigure.handler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which cross-origin requests are allowed, as Spring's {@code CorsConfiguration} says it: origins
 * (exact, or {@code *}), origin patterns ({@code https://*.example.com}, {@code
 * http://localhost:[*]}), methods, request headers, exposed headers, credentials and how long a
 * preflight answer may be cached.
 */
final class CorsPolicy {

    private final List<String> origins;
    private final List<Pattern> originPatterns;
    private final List<String> methods;
    private final List<String> headers;
    private final List<String> exposedHeaders;
    private final boolean credentials;
    private final Duration maxAge;

    /**
     * @throws IllegalArgumentException for credentials with the origin {@code *}, which browsers
     *     refuse
     */
    CorsPolicy(
            List<String> origins,
            List<String> originPatterns,
            List<String> methods,
            List<String> headers,
            List<String> exposedHeaders,
            boolean credentials,
            Duration maxAge) {
        if (credentials && origins.contains("*")) {
            throw new IllegalArgumentException("allow-credentials cannot be true with the allowed origin '*': browsers"
                    + " refuse credentials for any origin; list the origins, or use allowed-origin-patterns");
        }
        this.origins = origins.stream().map(CorsPolicy::normalize).toList();
        this.originPatterns = originPatterns.stream().map(CorsPolicy::pattern).toList();
        this.methods =
                methods.stream().map(m -> m.strip().toUpperCase(Locale.ROOT)).toList();
        this.headers = headers.stream().map(String::strip).toList();
        this.exposedHeaders = exposedHeaders.stream().map(String::strip).toList();
        this.credentials = credentials;
        this.maxAge = maxAge;
    }

    boolean enabled() {
        return !origins.isEmpty() || !originPatterns.isEmpty();
    }

    /** The {@code Access-Control-Allow-Origin} value for a request from {@code origin}, or {@code null}. */
    String allowOrigin(String origin) {
        String normalized = normalize(origin);
        if (origins.contains("*") && !credentials) {
            return "*";
        }
        for (String allowed : origins) {
            if (allowed.equalsIgnoreCase(normalized) || allowed.equals("*")) {
                return origin;
            }
        }
        for (Pattern pattern : originPatterns) {
            if (pattern.matcher(normalized).matches()) {
                return origin;
            }
        }
        return null;
    }

    boolean allowsMethod(String method) {
        return methods.contains("*") || methods.contains(method.toUpperCase(Locale.ROOT));
    }

    /** {@code Access-Control-Allow-Methods}: the listed ones, or the requested one for {@code *}. */
    String allowMethods(String requested) {
        return methods.contains("*") ? requested : String.join(", ", methods);
    }

    /** The requested headers if all are allowed, else {@code null}. */
    List<String> allowHeaders(List<String> requested) {
        if (headers.contains("*")) {
            return requested;
        }
        List<String> allowed = new ArrayList<>();
        for (String header : requested) {
            if (headers.stream().noneMatch(header::equalsIgnoreCase)) {
                return null;
            }
            allowed.add(header);
        }
        return allowed;
    }

    List<String> exposedHeaders() {
        return exposedHeaders;
    }

    boolean credentials() {
        return credentials;
    }

    Duration maxAge() {
        return maxAge;
    }

    /** An origin without a trailing slash: browsers send none, configurations sometimes do. */
    private static String normalize(String origin) {
        String trimmed = origin.strip();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    /**
     * {@code *} matches any characters within the host, {@code [*]} any port, {@code [8080,8081]}
     * the listed ports (a missing port matches too).
     */
    private static Pattern pattern(String originPattern) {
        String source = normalize(originPattern);
        String ports = null;
        if (source.endsWith("]")) {
            int open = source.lastIndexOf(":[");
            if (open < 0) {
                throw new IllegalArgumentException(
                        "'" + originPattern + "' has a port list without ':[': write :[8080,8081]");
            }
            ports = source.substring(open + 2, source.length() - 1);
            source = source.substring(0, open);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : source.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        if (ports != null) {
            if (ports.strip().equals("*")) {
                regex.append("(:\\d+)?");
            } else {
                regex.append("(:(");
                String[] list = ports.split(",");
                for (int i = 0; i < list.length; i++) {
                    regex.append(i == 0 ? "" : "|").append(Pattern.quote(list[i].strip()));
                }
                regex.append("))?");
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }
}
