package dev.httpsd.autoconfigure;

import dev.httpsd.server.UriMatcher;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order in which the annotated handlers are registered, which is the order the server tries
 * them in: exact URIs, then templates, then ESP wildcards; templates without a rest variable
 * before those with one, then fewer variables, then more literal characters; wildcards with the
 * longer fixed part first; then the explicit order, then the order they were found in.
 */
final class HandlerPrecedence {

    private static final Pattern VARIABLE = Pattern.compile("\\{(\\*?)[^{}/]*}");

    /** What decides a registration's place. */
    record Key(int kind, boolean rest, int variables, int literal, int order, int sequence) {}

    static final Comparator<Key> ORDER = Comparator.comparingInt(Key::kind)
            .thenComparing(Key::rest)
            .thenComparingInt(Key::variables)
            .thenComparing(Comparator.comparingInt(Key::literal).reversed())
            .thenComparingInt(Key::order)
            .thenComparingInt(Key::sequence);

    private static final int EXACT = 0;
    private static final int TEMPLATE = 1;
    private static final int WILDCARD = 2;

    private final boolean wildcards;

    /** @param matcher the server's: whether URIs ending in {@code *} or {@code ?} are wildcards */
    HandlerPrecedence(UriMatcher matcher) {
        // asked of the matcher's behaviour, so that a customized matcher is judged as it acts
        this.wildcards = matcher.matches("/*", "/httpsd-precedence-probe");
    }

    Key key(String uri, int order, int sequence) {
        if (uri.indexOf('{') >= 0) {
            Matcher variable = VARIABLE.matcher(uri);
            int variables = 0;
            int variableChars = 0;
            boolean rest = false;
            while (variable.find()) {
                variables++;
                variableChars += variable.end() - variable.start();
                rest |= !variable.group(1).isEmpty();
            }
            return new Key(TEMPLATE, rest, variables, uri.length() - variableChars, order, sequence);
        }
        if (wildcards && (uri.endsWith("*") || uri.endsWith("?"))) {
            int fixed = uri.length();
            while (fixed > 0 && (uri.charAt(fixed - 1) == '*' || uri.charAt(fixed - 1) == '?')) {
                fixed--;
            }
            return new Key(WILDCARD, false, 0, fixed, order, sequence);
        }
        return new Key(EXACT, false, 0, uri.length(), order, sequence);
    }
}
