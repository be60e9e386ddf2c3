package dev.httpsd.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The URI handler table: registration order is match order. Lookups read an immutable snapshot,
 * so registering while requests are served is safe and lock-free for readers. With a {@linkplain
 * UriMatcher#template template matcher} each template is compiled once, at registration; routing
 * to a handler allocates nothing unless its URI has variables, whose values are captured then.
 *
 * <p>Part of the connection SPI (no compatibility promise): protocols read its {@link Route}
 * outcomes through {@link ConnectionContext#route}; the server's table is its own, reached through
 * {@link HttpServer#registerUriHandler}. Public so that the benchmarks can route without a server.
 */
public final class UriRouter {

    /** The outcome of routing one request. */
    public sealed interface Route permits Found, NotFound, MethodNotAllowed {}

    /**
     * The handler that serves the request. One instance per registration, so routing to it
     * allocates nothing; the values of its URI template's variables are captured on demand.
     */
    public static final class Found implements Route {

        private final UriHandler handler;
        /** The handler's compiled URI when it has variables, else {@code null}. */
        private final UriTemplate template;

        Found(UriHandler handler, UriTemplate template) {
            this.handler = handler;
            this.template = template;
        }

        public UriHandler handler() {
            return handler;
        }

        UriTemplate template() {
            return template;
        }

        /** The values of the handler's URI variables in {@code path}; {@code null} when it has none. */
        public PathVariables capture(String path) {
            return template == null ? null : template.capture(path);
        }

        @Override
        public String toString() {
            return "Found[" + handler + "]";
        }
    }

    /** No registered URI matches the path. */
    public record NotFound() implements Route {}

    /** The URI matched, the method did not; {@code allow} lists the methods that would. */
    public record MethodNotAllowed(String allow) implements Route {}

    private static final NotFound NOT_FOUND = new NotFound();

    private final int capacity;
    private final UriMatcher matcher;
    /** What matches the URIs that are not compiled templates. */
    private final UriMatcher literal;

    private final boolean templates;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile Found[] routes = new Found[0];

    /** A table of at most {@code capacity} handlers; {@code null} matches URIs exactly. */
    public UriRouter(int capacity, UriMatcher matcher) {
        this.capacity = capacity;
        this.matcher = matcher == null ? UriMatcher.exact() : matcher;
        this.templates = this.matcher instanceof TemplateMatcher;
        this.literal = this.matcher instanceof TemplateMatcher t ? t.literal() : this.matcher;
    }

    /**
     * Registers a handler ({@link HttpServer#registerUriHandler} documents the rules).
     *
     * @throws IllegalArgumentException when the matcher understands templates and the URI uses
     *     braces otherwise
     */
    public void register(UriHandler handler) {
        UriTemplate template = templates ? TemplateMatcher.compile(handler.uri()) : null;
        writeLock.lock();
        try {
            Found[] current = routes;
            for (Found route : current) {
                UriHandler existing = route.handler();
                if (serves(existing.method(), handler.method()) && matcher.conflicts(existing.uri(), handler.uri())) {
                    throw new HttpServerException(
                            existing,
                            "a handler for " + existing.method() + " " + existing.uri() + " already serves "
                                    + handler.method() + " " + handler.uri());
                }
            }
            if (current.length >= capacity) {
                throw new HttpServerException(
                        HttpServerException.Reason.HANDLERS_FULL,
                        "all " + capacity + " URI handler slots are taken (maxUriHandlers)");
            }
            Found[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = new Found(handler, template);
            routes = next;
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes the handler registered with exactly this URI and method. */
    boolean unregister(String uri, HttpMethod method) {
        return removeIf(h -> h.uri().equals(uri) && h.method() == method);
    }

    /** Removes every handler registered with exactly this URI. */
    boolean unregisterAll(String uri) {
        return removeIf(h -> h.uri().equals(uri));
    }

    void clear() {
        removeIf(h -> true);
    }

    List<UriHandler> handlers() {
        Found[] current = routes;
        List<UriHandler> handlers = new ArrayList<>(current.length);
        for (Found route : current) {
            handlers.add(route.handler());
        }
        return List.copyOf(handlers);
    }

    /** The handler for a request path and method, or why there is none. */
    public Route route(String path, HttpMethod method) {
        Found[] current = routes;
        Set<String> allowed = null;
        Found getFallback = null;
        for (Found route : current) {
            UriHandler handler = route.handler();
            UriTemplate template = route.template();
            if (template == null ? !literal.matches(handler.uri(), path) : !template.matches(path)) {
                continue;
            }
            if (handler.method().accepts(method)) {
                return route;
            }
            if (method == HttpMethod.HEAD && handler.method() == HttpMethod.GET && getFallback == null) {
                getFallback = route;
            }
            if (allowed == null) {
                allowed = new LinkedHashSet<>();
            }
            allowed.add(handler.method().token());
            if (handler.method() == HttpMethod.GET) {
                allowed.add(HttpMethod.HEAD.token());
            }
        }
        if (getFallback != null) {
            // RFC 9110 §9.3.2: HEAD is GET without the body; the response writer drops the body
            return getFallback;
        }
        return allowed == null ? NOT_FOUND : new MethodNotAllowed(String.join(", ", allowed));
    }

    private boolean removeIf(Predicate<UriHandler> doomed) {
        writeLock.lock();
        try {
            List<Found> kept = new ArrayList<>();
            for (Found route : routes) {
                if (!doomed.test(route.handler())) {
                    kept.add(route);
                }
            }
            boolean removed = kept.size() != routes.length;
            routes = kept.toArray(Found[]::new);
            return removed;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * ESP's HANDLER_EXISTS test ({@code httpd_find_uri_handler}): an existing entry with the same
     * method or with {@code ANY}. A new {@code ANY} over an existing {@code GET} is accepted; the
     * {@code GET} entry, registered first, keeps serving GET.
     */
    private static boolean serves(HttpMethod existing, HttpMethod added) {
        return existing == added || existing == HttpMethod.ANY;
    }
}
