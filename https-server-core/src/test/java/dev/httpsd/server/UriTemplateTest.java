package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link UriMatcher#template()}: templates with {@code {name}} segments and a trailing {@code {*rest}}. */
class UriTemplateTest {

    private final UriMatcher templates = UriMatcher.template();

    @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/items/{id}            | /items/42         | true",
                "/items/{id}            | /items/           | false",
                "/items/{id}            | /items            | false",
                "/items/{id}            | /items/4/2        | false",
                "/items/{id}            | /items/42/        | false",
                "/items/{id}            | /itemsx/42        | false",
                "/{a}/{b}               | /x/y              | true",
                "/{a}/{b}               | /x                | false",
                "/{a}/{b}               | //y               | false",
                "/a/{x}/c               | /a/b/c            | true",
                "/a/{x}/c               | /a/b/d            | false",
                "/files/{*path}         | /files            | true",
                "/files/{*path}         | /files/           | true",
                "/files/{*path}         | /files/a/b.txt    | true",
                "/files/{*path}         | /filesx           | false",
                "/files/{*path}         | /file             | false",
                "/{*all}                | /                 | true",
                "/{*all}                | /a/b              | true",
                "/users/{id}/{*rest}    | /users/7          | true",
                "/users/{id}/{*rest}    | /users/7/a/b      | true",
                "/users/{id}/{*rest}    | /users/           | false",
                // without braces the URI is the literal matcher's: exact here
                "/plain                 | /plain            | true",
                "/plain                 | /plain/           | false",
                "/api/*                 | /api/x            | false",
            })
    void templatesMatchWholeSegmentsAndTheRestVariableTakesTheRest(String template, String path, boolean matches) {
        assertThat(templates.matches(template, path)).isEqualTo(matches);
    }

    @Test
    void capturedValuesArePercentDecodedAndTheRestKeepsItsSlash() {
        UriTemplate template = UriTemplate.compile("/users/{name}/files/{*path}");

        PathVariables variables = template.capture("/users/Ad%C3%A9+la/files/a/b%20c.txt");

        assertThat(variables.asMap()).containsExactly(Map.entry("name", "Adé+la"), Map.entry("path", "/a/b c.txt"));
        assertThat(variables.get("name")).hasValue("Adé+la");
        assertThat(variables.get("other")).isEmpty();
        assertThat(template.capture("/users/x/files").asMap()).containsEntry("path", "");
        assertThat(template.capture("/users/x/other")).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/items/{id",
                "/items/id}",
                "/items/x{id}",
                "/items/{id}.json",
                "/items/{}",
                "/items/{a b}",
                "/{*rest}/more",
                "/{id}/{id}",
                "items/{id}"
            })
    void bracesOtherThanWholeSegmentVariablesAreRefusedWithTheReason(String template) {
        assertThatThrownBy(() -> UriTemplate.compile(template))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid URI template " + template + ": ");
    }

    @ParameterizedTest(name = "''{0}'' registered, ''{1}'' added: conflict {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // the same shape under other names takes every request
                "/items/{id}          | /items/{name}        | true",
                // a template would take a later exact URI's requests
                "/items/{id}          | /items/new           | true",
                // an exact URI registered first leaves the template the other paths
                "/items/new           | /items/{id}          | false",
                // neither takes every path of the other: registration order decides /a/b/c
                "/a/{x}/c             | /a/b/{y}             | false",
                "/a/b/{y}             | /a/{x}/c             | false",
                // a rest variable takes everything below it
                "/files/{*p}          | /files/{name}        | true",
                "/files/{*p}          | /files/{*q}          | true",
                "/files/{*p}          | /files               | true",
                "/files/{name}        | /files/{*p}          | false",
                "/files/{name}        | /other/{name}        | false",
            })
    void aRegistrationConflictsWhenAnEarlierOneWouldTakeAllItsRequests(
            String registered, String added, boolean conflicts) {
        assertThat(templates.conflicts(registered, added)).isEqualTo(conflicts);
    }

    @Test
    void overWildcardsATemplateAndAWildcardPatternConflictOnlyWhenTheEarlierTakesAllOfTheLater() {
        UriMatcher overWildcard = UriMatcher.template(UriMatcher.wildcard());

        assertThat(overWildcard.matches("/api/*", "/api/x/y")).isTrue();
        assertThat(overWildcard.matches("/api/{id}", "/api/x")).isTrue();
        // a wildcard registered first takes every path of a template below it
        assertThat(overWildcard.conflicts("/api/*", "/api/{id}")).isTrue();
        // a template never takes all of a wildcard pattern's paths (/api/ and /api/x/y)
        assertThat(overWildcard.conflicts("/api/{id}", "/api/*")).isFalse();
        assertThat(overWildcard.conflicts("/api/{id}", "/api/?")).isFalse();
        // two literals: ESP's test
        assertThat(overWildcard.conflicts("/api/*", "/api/status")).isTrue();
        assertThat(overWildcard.conflicts("/api/status", "/api/*")).isFalse();
    }

    @Test
    void theTemplateMatcherOverATemplateMatcherIsTheSameMatcher() {
        UriMatcher over = UriMatcher.template(UriMatcher.wildcard());

        assertThat(UriMatcher.template(over)).isSameAs(over);
        assertThat(UriMatcher.template(UriMatcher.exact())).isSameAs(UriMatcher.template());
    }
}
