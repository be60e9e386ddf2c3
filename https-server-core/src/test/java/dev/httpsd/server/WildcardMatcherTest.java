package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link UriMatcher#wildcard()} against {@code httpd_uri_match_wildcard} (reference §3.2). */
class WildcardMatcherTest {

    private final UriMatcher wildcard = UriMatcher.wildcard();

    @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // no wildcard: exact
                "/api       | /api        | true",
                "/api       | /api/       | false",
                "/api       | /ap         | false",
                // '?': the character before it is optional, nothing may follow
                "/api/?     | /api        | true",
                "/api/?     | /api/       | true",
                "/api/?     | /api/x      | false",
                "/api/?     | /apix       | false",
                "/api/?     | /ap         | false",
                // '*': any suffix, possibly empty, after the mandatory part
                "/api/*     | /api/       | true",
                "/api/*     | /api/status | true",
                "/api/*     | /api/a/b    | true",
                "/api/*     | /api        | false",
                "/api/*     | /apix       | false",
                // '?*' and '*?': optional character, then any suffix
                "/api/?*    | /api        | true",
                "/api/?*    | /api/       | true",
                "/api/?*    | /api/x      | true",
                "/api/?*    | /apix       | false",
                "/api/?*    | /ap         | false",
                "/api/*?    | /api        | true",
                "/api/*?    | /api/x      | true",
                "/api/*?    | /apix       | false",
                // wildcards anywhere but the end are literal
                "/a*b       | /a*b        | true",
                "/a*b       | /axxb       | false",
                "/a?b       | /ab         | false",
                "/a?b       | /a?b        | true",
                // a lone '*' matches everything, a lone '/*' every absolute path
                "*          | /anything   | true",
                "/*         | /           | true",
                "/*         | /x/y        | true",
                // '?' needs a preceding character: these templates match nothing
                "?          | ''          | false",
                "?          | /           | false",
                "*?         | /           | false",
                "?*         | /           | false",
            })
    void matchesLikeEspIdf(String template, String path, boolean expected) {
        assertThat(wildcard.matches(template, path)).isEqualTo(expected);
    }

    @Test
    void exactMatcherComparesWholeStringsCaseSensitively() {
        UriMatcher exact = UriMatcher.exact();

        assertThat(exact.matches("/hello", "/hello")).isTrue();
        assertThat(exact.matches("/hello", "/Hello")).isFalse();
        assertThat(exact.matches("/hello", "/hello/")).isFalse();
        assertThat(exact.matches("/api/*", "/api/x")).isFalse();
    }
}
