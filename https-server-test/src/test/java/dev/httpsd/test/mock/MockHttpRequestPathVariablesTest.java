package dev.httpsd.test.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a mock request gets URI template variables: from the handler's template and the path, as the
 * server takes them, or given one by one; and the mistakes the builder refuses. What a handler reads
 * is checked against the server in {@link HandlerContractTest}.
 */
class MockHttpRequestPathVariablesTest {

    @Test
    void variablesGivenOneByOneAreReadInTheOrderGiven() {
        MockHttpRequest request = MockHttpRequest.get("/anything")
                .pathVariable("user", "ada")
                .pathVariable("id", "42")
                .build();

        assertThat(request.pathVariable("id")).hasValue("42");
        assertThat(request.pathVariables()).containsExactly(Map.entry("user", "ada"), Map.entry("id", "42"));
    }

    @Test
    void aTemplateTakesTheVariablesFromThePathWithoutTheQuery() {
        MockHttpRequest request = MockHttpRequest.get("/items/4%2F2?id=7")
                .uriTemplate("/items/{id}")
                .build();

        assertThat(request.pathVariable("id")).hasValue("4/2");
    }

    @Test
    void aTemplateThatDoesNotMatchThePathIsRefusedAtBuild() {
        MockHttpRequest.Builder builder = MockHttpRequest.get("/items/4/2").uriTemplate("/items/{id}");

        assertThatIllegalArgumentException()
                .isThrownBy(builder::build)
                .withMessage("the URI template /items/{id} does not match the request path /items/4/2:"
                        + " the server would not give this request to its handler");
    }

    @Test
    void anInvalidTemplateIsRefusedAsTheServerRefusesIt() {
        MockHttpRequest.Builder builder = MockHttpRequest.get("/items/42").uriTemplate("/items/id-{id}");

        assertThatIllegalArgumentException()
                .isThrownBy(builder::build)
                .withMessageStartingWith("invalid URI template /items/id-{id}: a variable is a whole path segment");
    }

    @Test
    void aTemplateAndSingleVariablesTogetherAreRefused() {
        MockHttpRequest.Builder builder =
                MockHttpRequest.get("/items/42").uriTemplate("/items/{id}").pathVariable("id", "43");

        assertThatIllegalArgumentException()
                .isThrownBy(builder::build)
                .withMessage("path variables come from either uriTemplate(...) or pathVariable(...), not both");
    }

    @Test
    void aVariableGivenTwiceIsRefused() {
        MockHttpRequest.Builder builder = MockHttpRequest.get("/items/42").pathVariable("id", "42");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.pathVariable("id", "43"))
                .withMessage("the path variable id is given twice");
    }
}
