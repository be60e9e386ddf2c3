package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server with {@link UriMatcher#template()}: routing by template, variables on the request. */
class TemplateRoutingTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    private static String request(String method, String path) {
        return method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void aHandlerReadsTheVariablesOfItsTemplateFromTheRequest() throws Exception {
        fixture.start(b -> b.uriMatcher(UriMatcher.template()));
        fixture.handle(
                "/users/{user}/items/{id}",
                HttpMethod.GET,
                (req, resp) -> resp.send(req.pathVariable("user").orElseThrow() + ":"
                        + req.pathVariable("id").orElseThrow() + ":"
                        + req.pathVariable("other").isPresent()));
        RawClient client = fixture.connect();

        assertThat(client.exchange(get("/users/ad%C3%A9/items/42?x=1")).bodyText())
                .isEqualTo("adé:42:false");
        assertThat(client.exchange(get("/users/ada/items/")).status()).isEqualTo(404);
    }

    @Test
    void allVariablesAreReadableInTemplateOrderAndTheRestVariableKeepsItsSlash() throws Exception {
        fixture.start(b -> b.uriMatcher(UriMatcher.template()));
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        fixture.handle("/files/{owner}/{*path}", HttpMethod.GET, (req, resp) -> {
            seen.set(req.pathVariables());
            resp.send("ok");
        });

        assertThat(fixture.connect().exchange(get("/files/ada/docs/a.txt")).status())
                .isEqualTo(200);

        assertThat(seen.get()).containsExactly(Map.entry("owner", "ada"), Map.entry("path", "/docs/a.txt"));
    }

    @Test
    void anExactUriRegisteredBeforeATemplateOfTheSameShapeServesItsOwnPath() throws Exception {
        HttpServer server = fixture.start(b -> b.uriMatcher(UriMatcher.template()));
        fixture.handle("/items/new", HttpMethod.GET, (req, resp) -> resp.send("form"));
        fixture.handle(
                "/items/{id}",
                HttpMethod.GET,
                (req, resp) -> resp.send("item " + req.pathVariable("id").get()));
        RawClient client = fixture.connect();

        assertThat(client.exchange(get("/items/new")).bodyText()).isEqualTo("form");
        assertThat(client.exchange(get("/items/7")).bodyText()).isEqualTo("item 7");
        assertThatThrownBy(() -> server.registerUriHandler(
                        UriHandler.of("/items/{name}", HttpMethod.GET, (req, resp) -> resp.send("never"))))
                .isInstanceOfSatisfying(HttpServerException.class, e -> {
                    assertThat(e.reason()).isEqualTo(HttpServerException.Reason.HANDLER_EXISTS);
                    assertThat(e).hasMessageContaining("/items/{id}");
                });
    }

    @Test
    void aTemplateMatchingWithAnotherMethodIsAnswered405WithAllow() throws Exception {
        fixture.start(b -> b.uriMatcher(UriMatcher.template()));
        fixture.handle("/items/{id}", HttpMethod.GET, (req, resp) -> resp.send("get"));
        fixture.handle("/items/{id}", HttpMethod.DELETE, (req, resp) -> resp.send("deleted"));
        RawClient client = fixture.connect();

        RawClient.Response post = client.exchange(request("POST", "/items/1"));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD, DELETE");
        assertThat(client.exchange(request("DELETE", "/items/1")).bodyText()).isEqualTo("deleted");
        RawClient.Response head =
                client.send("HEAD /items/1 HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
        assertThat(head.status()).isEqualTo(200);
    }

    @Test
    void bracesThatAreNotATemplateAreRefusedWhenRegistered() throws Exception {
        HttpServer server = fixture.start(b -> b.uriMatcher(UriMatcher.template()));

        assertThatThrownBy(() -> server.registerUriHandler(
                        UriHandler.of("/items/{id}.json", HttpMethod.GET, (req, resp) -> resp.send(""))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a variable is a whole path segment");
        assertThat(server.uriHandlers()).isEmpty();
    }

    @Test
    void withoutATemplateMatcherBracesAreLiteralAndTheRequestHasNoVariables() throws Exception {
        fixture.start();
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        fixture.handle("/items/{id}", HttpMethod.GET, (req, resp) -> resp.send("never"));
        fixture.handle("/plain", HttpMethod.GET, (req, resp) -> {
            seen.set(req.pathVariables());
            resp.send("plain");
        });
        RawClient client = fixture.connect();

        assertThat(client.exchange(get("/items/1")).status()).isEqualTo(404);
        assertThat(client.exchange(get("/plain")).bodyText()).isEqualTo("plain");
        assertThat(seen.get()).isEmpty();
    }

    @Test
    void overWildcardsExactUrisTemplatesAndWildcardsServeTogether() throws Exception {
        fixture.start(b -> b.uriMatcher(UriMatcher.template(UriMatcher.wildcard())));
        fixture.handle("/api/status", HttpMethod.GET, (req, resp) -> resp.send("exact"));
        fixture.handle(
                "/api/{name}",
                HttpMethod.GET,
                (req, resp) -> resp.send("template " + req.pathVariable("name").get()));
        fixture.handle("/api/*", HttpMethod.GET, (req, resp) -> resp.send("wildcard " + req.path()));
        RawClient client = fixture.connect();

        assertThat(client.exchange(get("/api/status")).bodyText()).isEqualTo("exact");
        assertThat(client.exchange(get("/api/x")).bodyText()).isEqualTo("template x");
        assertThat(client.exchange(get("/api/x/y")).bodyText()).isEqualTo("wildcard /api/x/y");
    }
}
