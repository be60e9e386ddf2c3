package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.httpsd.server.UriMatcher;
import org.junit.jupiter.api.Test;

/** How Actuator's endpoint paths match request paths on the management listener. */
class EndpointPathTemplateTests {

    private final UriMatcher matcher = EndpointPathTemplate.matcher();

    @Test
    void literalPathsMatchExactlyAndATrailingSlashIsAnotherPath() {
        assertThat(matcher.matches("/actuator/health", "/actuator/health")).isTrue();
        assertThat(matcher.matches("/actuator/health", "/actuator/health/")).isFalse();
        assertThat(matcher.matches("/actuator/health", "/actuator/healthz")).isFalse();
        assertThat(matcher.matches("/actuator", "/actuator/health")).isFalse();
        assertThat(matcher.matches("/", "/")).isTrue();
    }

    @Test
    void aVariableTakesOneNonEmptySegmentDecoded() {
        assertThat(matcher.matches("/actuator/loggers/{name}", "/actuator/loggers/com.example"))
                .isTrue();
        assertThat(matcher.matches("/actuator/loggers/{name}", "/actuator/loggers/"))
                .isFalse();
        assertThat(matcher.matches("/actuator/loggers/{name}", "/actuator/loggers/a/b"))
                .isFalse();
        assertThat(EndpointPathTemplate.of("/actuator/caches/{cache}").variables("/actuator/caches/my%20cache"))
                .containsEntry("cache", "my cache");
    }

    @Test
    void theRemainderTakesEverySegmentLeftIncludingNone() {
        EndpointPathTemplate health = EndpointPathTemplate.of("/actuator/health/{*path}");
        assertThat(health.capturesRemainder()).isTrue();
        assertThat((String[]) health.variables("/actuator/health/liveness").get("path"))
                .containsExactly("liveness");
        assertThat((String[]) health.variables("/actuator/health/db/primary").get("path"))
                .containsExactly("db", "primary");
        assertThat((String[]) health.variables("/actuator/health").get("path")).isEmpty();
        assertThat(health.variables("/actuator/healthz/x")).isNull();
    }

    @Test
    void aMalformedEscapeFailsOnlyWhenVariablesAreRead() {
        assertThat(matcher.matches("/actuator/loggers/{name}", "/actuator/loggers/%zz"))
                .isTrue();
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        EndpointPathTemplate.of("/actuator/loggers/{name}").variables("/actuator/loggers/%zz"));
    }
}
