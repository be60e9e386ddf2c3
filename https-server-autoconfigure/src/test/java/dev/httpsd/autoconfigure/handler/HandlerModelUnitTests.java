package dev.httpsd.autoconfigure.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.MimeType;

/** The handler model's small decisions, from values: content negotiation, Accept-Encoding, queries, origins. */
class HandlerModelUnitTests {

    private static final List<MimeType> JSON_OR_TEXT =
            List.of(MimeType.valueOf("application/json"), MimeType.valueOf("text/plain"));

    @ParameterizedTest(name = "Accept: {0} → {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "none                                   | application/json",
                "*/*                                    | application/json",
                "text/plain                             | text/plain",
                "text/*, application/json;q=0.5         | text/plain",
                "application/*;q=0.2, text/plain;q=0.1  | application/json",
                "application/json;q=0, */*              | text/plain",
                "image/png                              | none",
            })
    void negotiationTakesTheMostSpecificRangeAndItsQuality(String accept, String chosen) {
        MimeType result = MediaTypes.negotiate(JSON_OR_TEXT, accept);
        assertThat(result == null ? null : result.toString()).isEqualTo(chosen);
    }

    @Test
    void aMalformedAcceptIs400() {
        assertThatThrownBy(() -> MediaTypes.negotiate(JSON_OR_TEXT, "text/"))
                .isInstanceOfSatisfying(
                        HttpStatusException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @ParameterizedTest(name = "Accept-Encoding: {0} → gzip {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "gzip                | true",
                "GZIP                | true",
                "deflate, gzip;q=0.5 | true",
                "x-gzip              | true",
                "gzip;q=0            | false",
                "gzip;q=0.0, *       | false",
                "*                   | true",
                "*;q=0               | false",
                "br, deflate         | false",
                "identity            | false",
            })
    void acceptEncodingIsReadWithQualities(String acceptEncoding, boolean gzip) {
        assertThat(Compression.acceptsGzip(List.of(acceptEncoding))).isEqualTo(gzip);
    }

    @Test
    void queryParametersAreDecodedAndCaseSensitive() {
        String query = "q=caf%C3%A9+cr%C3%A8me&Q=upper&flag&tag=a&tag=b&a%20b=spaced&empty=";
        assertThat(QueryParameters.first(query, "q")).isEqualTo("café crème");
        assertThat(QueryParameters.first(query, "Q")).isEqualTo("upper");
        assertThat(QueryParameters.first(query, "flag")).isEmpty();
        assertThat(QueryParameters.first(query, "empty")).isEmpty();
        assertThat(QueryParameters.first(query, "a b")).isEqualTo("spaced");
        assertThat(QueryParameters.first(query, "missing")).isNull();
        assertThat(QueryParameters.all(query, "tag")).containsExactly("a", "b");
        assertThat(QueryParameters.first(null, "q")).isNull();
    }

    @Test
    void originsMatchExactlyOrByPatternWithPorts() {
        CorsPolicy policy = new CorsPolicy(
                List.of("https://app.example.com/"),
                List.of("https://*.partner.example", "http://localhost:[*]", "https://ports.example:[8443,9443]"),
                List.of("GET"),
                List.of("*"),
                List.of(),
                true,
                Duration.ofMinutes(1));
        assertThat(policy.allowOrigin("https://app.example.com")).isEqualTo("https://app.example.com");
        assertThat(policy.allowOrigin("https://APP.example.com")).isEqualTo("https://APP.example.com");
        assertThat(policy.allowOrigin("https://a.b.partner.example")).isNotNull();
        assertThat(policy.allowOrigin("https://partner.example")).isNull();
        assertThat(policy.allowOrigin("http://localhost:5173")).isNotNull();
        assertThat(policy.allowOrigin("http://localhost")).isNotNull();
        assertThat(policy.allowOrigin("https://ports.example:9443")).isNotNull();
        assertThat(policy.allowOrigin("https://ports.example:8080")).isNull();
        assertThat(policy.allowOrigin("https://evil.example")).isNull();
    }

    @Test
    void anyOriginWithoutCredentialsAnswersStar() {
        CorsPolicy policy =
                new CorsPolicy(List.of("*"), List.of(), List.of("*"), List.of("*"), List.of(), false, Duration.ZERO);
        assertThat(policy.allowOrigin("https://anyone.example")).isEqualTo("*");
        assertThat(policy.allowsMethod("PATCH")).isTrue();
        assertThat(policy.allowMethods("PATCH")).isEqualTo("PATCH");
    }

    @Test
    void templateVariablesIncludeTheRestVariable() {
        assertThat(HandlerModel.templateVariables("/users/{user}/files/{*path}"))
                .containsExactly("user", "path");
        assertThat(HandlerModel.templateVariables("/plain")).isEmpty();
    }
}
