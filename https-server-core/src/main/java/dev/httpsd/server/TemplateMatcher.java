package dev.httpsd.server;

/**
 * URI templates over another matcher; see {@link UriMatcher#template(UriMatcher)}. A URI with a
 * brace is a {@link UriTemplate}; any other is the literal matcher's.
 */
final class TemplateMatcher implements UriMatcher {

    static final TemplateMatcher OVER_EXACT = new TemplateMatcher(UriMatcher.exact());

    private final UriMatcher literal;

    TemplateMatcher(UriMatcher literal) {
        this.literal = literal;
    }

    /** The matcher of URIs without variables. */
    UriMatcher literal() {
        return literal;
    }

    /**
     * The compiled template of a URI that has braces, {@code null} for a literal URI.
     *
     * @throws IllegalArgumentException when the braces do not form a valid template
     */
    static UriTemplate compile(String uri) {
        return UriTemplate.hasBraces(uri) ? UriTemplate.compile(uri) : null;
    }

    @Override
    public boolean matches(String template, String path) {
        if (!UriTemplate.hasBraces(template)) {
            return literal.matches(template, path);
        }
        UriTemplate compiled = compileOrNull(template);
        return compiled != null && compiled.matches(path);
    }

    /**
     * A template shadows another when it matches every path the other does; a template never
     * shadows a wildcard pattern (ESP's trailing {@code *} or {@code ?}, which reach paths no
     * template without a rest variable does), nor is shadowed by an exact URI. Two literal URIs
     * are the literal matcher's question.
     */
    @Override
    public boolean conflicts(String registered, String added) {
        UriTemplate existing = compileOrNull(registered);
        UriTemplate addedTemplate = compileOrNull(added);
        if (existing == null && addedTemplate == null) {
            return literal.conflicts(registered, added);
        }
        if (existing == null) {
            // ESP's test, the added template's text taken as a path: only a wildcard pattern such
            // as /items/* can take every path of /items/{id}
            return literal.matches(registered, added);
        }
        if (addedTemplate == null) {
            return !isWildcardPattern(added) && existing.matches(added);
        }
        return existing.covers(addedTemplate);
    }

    private boolean isWildcardPattern(String uri) {
        return literal instanceof WildcardMatcher && (uri.endsWith("*") || uri.endsWith("?"));
    }

    private static UriTemplate compileOrNull(String uri) {
        if (!UriTemplate.hasBraces(uri)) {
            return null;
        }
        try {
            return UriTemplate.compile(uri);
        } catch (IllegalArgumentException e) {
            return null; // never registered: the router refuses invalid templates
        }
    }
}
