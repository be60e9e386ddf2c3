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
 * so registering while requests are served is safe and lock-free for readers. Public for its
 * {@link Route} outcomes only, which protocols read through {@link ConnectionContext#route}: the
 * table itself is the server's.
 */
public final class UriRouter {

    /** The outcome of routing one request. */
    public sealed interface Route permits Found, NotFound, MethodNotAllowed {}

    /** The handler that serves the request. */
    public record Found(UriHandler handler) implements Route {}

    /** No registered URI matches the path. */
    public record NotFound() implements Route {}

    /** The URI matched, the method did not; {@code allow} lists the methods that would. */
    public record MethodNotAllowed(String allow) implements Route {}

    private static final NotFound NOT_FOUND = new NotFound();

    private final int capacity;
    private final UriMatcher matcher;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile UriHandler[] handlers = new UriHandler[0];

    UriRouter(int capacity, UriMatcher matcher) {
        this.capacity = capacity;
        this.matcher = matcher == null ? UriMatcher.exact() : matcher;
    }

    void register(UriHandler handler) {
        writeLock.lock();
        try {
            UriHandler[] current = handlers;
            for (UriHandler existing : current) {
                if (serves(existing.method(), handler.method()) && matcher.matches(existing.uri(), handler.uri())) {
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
            UriHandler[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = handler;
            handlers = next;
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
        return List.of(handlers);
    }

    Route route(String path, HttpMethod method) {
        UriHandler[] current = handlers;
        Set<String> allowed = null;
        UriHandler getFallback = null;
        for (UriHandler handler : current) {
            if (!matcher.matches(handler.uri(), path)) {
                continue;
            }
            if (handler.method().accepts(method)) {
                return new Found(handler);
            }
            if (method == HttpMethod.HEAD && handler.method() == HttpMethod.GET && getFallback == null) {
                getFallback = handler;
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
            return new Found(getFallback);
        }
        return allowed == null ? NOT_FOUND : new MethodNotAllowed(String.join(", ", allowed));
    }

    private boolean removeIf(Predicate<UriHandler> doomed) {
        writeLock.lock();
        try {
            List<UriHandler> kept = new ArrayList<>();
            for (UriHandler handler : handlers) {
                if (!doomed.test(handler)) {
                    kept.add(handler);
                }
            }
            boolean removed = kept.size() != handlers.length;
            handlers = kept.toArray(UriHandler[]::new);
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
