package dev.httpsd.server;

import java.util.Objects;

/**
 * Decides whether a registered URI template matches a request path ({@code
 * httpd_uri_match_func_t}). The path never includes the query string.
 */
@FunctionalInterface
public interface UriMatcher {

    /**
     * @param template the URI a handler was registered with
     * @param path the request path (query excluded), not percent-decoded
     */
    boolean matches(String template, String path);

    /**
     * Whether a handler registered with {@code registered} would take every request one registered
     * with {@code added} is meant for, so that the server refuses {@code added} for the same
     * method ({@code HANDLER_EXISTS}). ESP's test, the default: {@code registered} matches {@code
     * added} taken as a path ({@code httpd_find_uri_handler}). Not in ESP as a separate function.
     */
    default boolean conflicts(String registered, String added) {
        return matches(registered, added);
    }

    /** Exact string equality: the default when no matcher is configured. */
    static UriMatcher exact() {
        return String::equals;
    }

    /**
     * ESP's {@code httpd_uri_match_wildcard}: a template may end with {@code *} (any suffix), with
     * {@code ?} (the character before it is optional), or with {@code ?*} / {@code *?} (optional
     * character, then any suffix). {@code *} and {@code ?} anywhere else are literal. For example
     * {@code /api/?} matches {@code /api} and {@code /api/}; {@code /api/*} matches {@code /api/}
     * and {@code /api/status} but not {@code /api}.
     */
    static UriMatcher wildcard() {
        return WildcardMatcher.INSTANCE;
    }

    /** URI templates over exact matching: {@link #template(UriMatcher) template(exact())}. */
    static UriMatcher template() {
        return TemplateMatcher.OVER_EXACT;
    }

    /**
     * URI templates with variables, beside the URIs of another matcher (not in ESP). A URI with
     * braces is a template: {@code {name}} is one whole path segment of at least one character,
     * and a last segment {@code {*name}} takes the rest of the path from its {@code /} (possibly
     * nothing): {@code /items/{id}} matches {@code /items/42} but neither {@code /items/} nor
     * {@code /items/4/2}; {@code /files/{*path}} matches {@code /files}, {@code /files/} and
     * {@code /files/a/b}. Handlers read the values with {@link HttpRequest#pathVariable}. Any
     * other URI is matched by {@code literal}, so exact URIs and ESP's wildcards keep their
     * meaning (no request path has a brace: the parser refuses them).
     *
     * <p>The server still tries handlers in registration order; register the more specific first.
     * It refuses a registration that an earlier one shadows for the same method: a template that
     * takes every path of the new one ({@code /items/{id}} before {@code /items/{name}} or {@code
     * /items/new}), or a wildcard that takes every path of a new template. Templates with braces
     * used otherwise are refused with {@link IllegalArgumentException} when registered.
     *
     * @param literal the matcher of URIs without braces, e.g. {@link #exact()} or {@link
     *     #wildcard()}
     */
    static UriMatcher template(UriMatcher literal) {
        Objects.requireNonNull(literal, "literal");
        if (literal instanceof TemplateMatcher templates) {
            return templates;
        }
        return literal == TemplateMatcher.OVER_EXACT.literal()
                ? TemplateMatcher.OVER_EXACT
                : new TemplateMatcher(literal);
    }
}
