package dev.httpsd.server;

import java.util.HashMap;
import java.util.Map;

/**
 * Request methods a URI handler can be registered for: the methods of ESP-IDF's {@code
 * httpd_method_t} (the http_parser set) plus {@link #ANY} ({@code HTTP_ANY}), which matches every
 * method.
 */
public enum HttpMethod {
    DELETE,
    GET,
    HEAD,
    POST,
    PUT,
    CONNECT,
    OPTIONS,
    TRACE,
    COPY,
    LOCK,
    MKCOL,
    MOVE,
    PROPFIND,
    PROPPATCH,
    SEARCH,
    UNLOCK,
    BIND,
    REBIND,
    UNBIND,
    ACL,
    REPORT,
    MKACTIVITY,
    CHECKOUT,
    MERGE,
    MSEARCH("M-SEARCH"),
    NOTIFY,
    SUBSCRIBE,
    UNSUBSCRIBE,
    PATCH,
    PURGE,
    MKCALENDAR,
    LINK,
    UNLINK,
    /** Wildcard used only in handler registration: matches every request method. */
    ANY("*");

    private static final Map<String, HttpMethod> BY_TOKEN = new HashMap<>();

    static {
        for (HttpMethod method : values()) {
            if (method != ANY) {
                BY_TOKEN.put(method.token, method);
            }
        }
    }

    private final String token;

    HttpMethod() {
        this.token = name();
    }

    HttpMethod(String token) {
        this.token = token;
    }

    /** The method as it appears on the request line, e.g. {@code M-SEARCH}. */
    public String token() {
        return token;
    }

    /**
     * Looks up a request-line method token (case-sensitive, as RFC 9110 §9.1 requires).
     *
     * @return the method, or {@code null} when the token is not one this server implements
     */
    public static HttpMethod fromToken(String token) {
        return BY_TOKEN.get(token);
    }

    /** Whether a handler registered for this method serves a request with {@code requestMethod}. */
    public boolean accepts(HttpMethod requestMethod) {
        return this == ANY || this == requestMethod;
    }
}
