package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UriRoutingTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    private static String request(String method, String path) {
        return method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
    }

    private static RequestHandler answer(String text) {
        return (req, resp) -> resp.send(text);
    }

    @Test
    void aHandlerIsRegisteredAndUnregisteredByUriAndMethod() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/r", HttpMethod.GET, answer("get"));
        fixture.handle("/r", HttpMethod.POST, answer("post"));
        RawClient client = fixture.connect();
        assertThat(client.exchange(get("/r")).bodyText()).isEqualTo("get");
        assertThat(client.exchange(request("POST", "/r")).bodyText()).isEqualTo("post");

        assertThat(server.unregisterUriHandler("/r", HttpMethod.GET)).isTrue();
        assertThat(server.unregisterUriHandler("/r", HttpMethod.GET)).isFalse();

        assertThat(client.exchange(get("/r")).status()).isEqualTo(405);
        assertThat(client.exchange(request("POST", "/r")).bodyText()).isEqualTo("post");
        assertThat(server.uriHandlers()).extracting(UriHandler::method).containsExactly(HttpMethod.POST);
    }

    @Test
    void unregisterUriRemovesEveryMethodOfThatExactUri() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/r", HttpMethod.GET, answer("get"));
        fixture.handle("/r", HttpMethod.PUT, answer("put"));
        fixture.handle("/r2", HttpMethod.GET, answer("other"));

        assertThat(server.unregisterUri("/r")).isTrue();
        assertThat(server.unregisterUri("/r")).isFalse();

        RawClient client = fixture.connect();
        assertThat(client.exchange(get("/r")).status()).isEqualTo(404);
        assertThat(client.exchange(request("PUT", "/r")).status()).isEqualTo(404);
        assertThat(client.exchange(get("/r2")).bodyText()).isEqualTo("other");
    }

    @Test
    void anyMethodServesEveryMethodAndConflictsWithEachOne() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle(
                "/any", HttpMethod.ANY, (req, resp) -> resp.send(req.method().token()));
        RawClient client = fixture.connect();

        for (String method : List.of("GET", "POST", "DELETE", "PATCH", "OPTIONS")) {
            assertThat(client.exchange(request(method, "/any")).bodyText()).isEqualTo(method);
        }
        assertThatThrownBy(() -> server.registerUriHandler(UriHandler.of("/any", HttpMethod.GET, answer(""))))
                .isInstanceOfSatisfying(
                        HttpServerException.class,
                        e -> assertThat(e.reason()).isEqualTo(HttpServerException.Reason.HANDLER_EXISTS));
    }

    @Test
    void aHandlerExistsRefusalNamesTheRegisteredHandlerItClashesWith() throws Exception {
        HttpServer server = fixture.start(b -> b.uriMatcher(UriMatcher.wildcard()));
        UriHandler wildcard = UriHandler.of("/api/*", HttpMethod.GET, answer("wildcard"));
        server.registerUriHandler(UriHandler.of("/other", HttpMethod.GET, answer("other")));
        server.registerUriHandler(wildcard);

        assertThatThrownBy(() -> server.registerUriHandler(UriHandler.of("/api/items", HttpMethod.GET, answer(""))))
                .isInstanceOfSatisfying(HttpServerException.class, e -> {
                    assertThat(e.reason()).isEqualTo(HttpServerException.Reason.HANDLER_EXISTS);
                    assertThat(e.clashingHandler()).containsSame(wildcard);
                });
    }

    @Test
    void aFullHandlerTableNamesNoClashingHandler() throws Exception {
        HttpServer server = fixture.start(b -> b.maxUriHandlers(1));
        server.registerUriHandler(UriHandler.of("/one", HttpMethod.GET, answer("one")));

        assertThatThrownBy(() -> server.registerUriHandler(UriHandler.of("/two", HttpMethod.GET, answer(""))))
                .isInstanceOfSatisfying(HttpServerException.class, e -> {
                    assertThat(e.reason()).isEqualTo(HttpServerException.Reason.HANDLERS_FULL);
                    assertThat(e.clashingHandler()).isEmpty();
                });
    }

    @Test
    void anyRegisteredAfterGetOnTheSameUriIsAcceptedAsInEspAndServesTheOtherMethods() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/both", HttpMethod.GET, (req, resp) -> resp.send("get handler"));

        // ESP's check: an existing entry with the same method, or an existing HTTP_ANY
        server.registerUriHandler(
                UriHandler.of("/both", HttpMethod.ANY, (req, resp) -> resp.send("any handler " + req.method())));
        RawClient client = fixture.connect();

        assertThat(client.exchange(get("/both")).bodyText())
                .as("the GET handler comes first in registration order")
                .isEqualTo("get handler");
        assertThat(client.exchange(request("POST", "/both")).bodyText()).isEqualTo("any handler POST");
        assertThat(server.uriHandlers()).extracting(UriHandler::method).containsExactly(HttpMethod.GET, HttpMethod.ANY);
    }

    @Test
    void theUserContextReachesTheHandler() throws Exception {
        HttpServer server = fixture.start();
        Object context = new Object();
        AtomicReference<Object> seen = new AtomicReference<>();
        server.registerUriHandler(new UriHandler(
                "/ctx",
                HttpMethod.GET,
                (req, resp) -> {
                    seen.set(req.userContext());
                    resp.send("ok");
                },
                context));

        fixture.connect().exchange(get("/ctx"));

        assertThat(seen.get()).isSameAs(context);
    }

    @Test
    void aSecondHandlerForTheSameUriAndMethodIsHandlerExists() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/dup", HttpMethod.GET, answer("first"));

        assertThatThrownBy(() -> server.registerUriHandler(UriHandler.of("/dup", HttpMethod.GET, answer("second"))))
                .isInstanceOfSatisfying(HttpServerException.class, e -> {
                    assertThat(e.reason()).isEqualTo(HttpServerException.Reason.HANDLER_EXISTS);
                    assertThat(e.reason().espCode()).isEqualTo(0xb002);
                });
        assertThat(fixture.connect().exchange(get("/dup")).bodyText()).isEqualTo("first");
    }

    @Test
    void registeringBeyondMaxUriHandlersIsHandlersFull() throws Exception {
        HttpServer server = fixture.start(b -> b.maxUriHandlers(2));
        fixture.handle("/1", HttpMethod.GET, answer("1"));
        fixture.handle("/2", HttpMethod.GET, answer("2"));

        assertThatThrownBy(() -> server.registerUriHandler(UriHandler.of("/3", HttpMethod.GET, answer("3"))))
                .isInstanceOfSatisfying(HttpServerException.class, e -> {
                    assertThat(e.reason()).isEqualTo(HttpServerException.Reason.HANDLERS_FULL);
                    assertThat(e).hasMessageContaining("maxUriHandlers");
                });

        server.unregisterUri("/1");
        fixture.handle("/3", HttpMethod.GET, answer("3"));
        assertThat(fixture.connect().exchange(get("/3")).bodyText()).isEqualTo("3");
    }

    @Test
    void matchingIsExactByDefault() throws Exception {
        fixture.start();
        fixture.handle("/hello", HttpMethod.GET, answer("hi"));
        RawClient client = fixture.connect();

        assertThat(client.exchange(get("/hello")).status()).isEqualTo(200);
        assertThat(client.exchange(get("/hello/")).status()).isEqualTo(404);
        assertThat(client.exchange(get("/Hello")).status()).isEqualTo(404);
        assertThat(client.exchange(get("/hello/x")).status()).isEqualTo(404);
    }

    @Test
    void theWildcardMatcherServesTemplatesEndingInStarOrQuestionMark() throws Exception {
        HttpServer server = fixture.start(b -> b.uriMatcher(UriMatcher.wildcard()));
        fixture.handle("/api/*", HttpMethod.GET, (req, resp) -> resp.send("api:" + req.path()));
        fixture.handle("/file/?", HttpMethod.GET, (req, resp) -> resp.send("file:" + req.path()));
        RawClient client = fixture.connect();

        assertThat(client.exchange(get("/api/status")).bodyText()).isEqualTo("api:/api/status");
        assertThat(client.exchange(get("/api/")).bodyText()).isEqualTo("api:/api/");
        assertThat(client.exchange(get("/api")).status()).isEqualTo(404);
        assertThat(client.exchange(get("/file")).bodyText()).isEqualTo("file:/file");
        assertThat(client.exchange(get("/file/")).bodyText()).isEqualTo("file:/file/");
        assertThat(client.exchange(get("/file/x")).status()).isEqualTo(404);
        // a wildcard template shadows a later, more specific one (as in ESP)
        assertThatThrownBy(() -> server.registerUriHandler(UriHandler.of("/api/x", HttpMethod.GET, answer(""))))
                .isInstanceOfSatisfying(
                        HttpServerException.class,
                        e -> assertThat(e.reason()).isEqualTo(HttpServerException.Reason.HANDLER_EXISTS));
    }

    @Test
    void aUserMatcherSeesThePathWithoutTheQuery() throws Exception {
        List<String> seenPaths = new CopyOnWriteArrayList<>();
        fixture.start(b -> b.uriMatcher((template, path) -> {
            seenPaths.add(path);
            return template.equalsIgnoreCase(path);
        }));
        fixture.handle("/Case", HttpMethod.GET, (req, resp) -> resp.send(req.uri()));

        RawClient.Response response = fixture.connect().exchange(get("/CASE?x=1&y=/Case"));

        assertThat(response.bodyText()).isEqualTo("/CASE?x=1&y=/Case");
        assertThat(seenPaths).contains("/CASE").allMatch(p -> !p.contains("?"));
    }

    @Test
    void theFirstMatchingHandlerInRegistrationOrderWins() throws Exception {
        fixture.start(b -> b.uriMatcher((template, path) -> path.startsWith(template)));
        fixture.handle("/a/b", HttpMethod.GET, answer("specific"));
        fixture.handle("/a", HttpMethod.GET, answer("general"));
        RawClient client = fixture.connect();

        assertThat(client.exchange(get("/a/b/c")).bodyText()).isEqualTo("specific");
        assertThat(client.exchange(get("/a/x")).bodyText()).isEqualTo("general");
    }

    @Test
    void nothingMatchingIs404WithEspText() throws Exception {
        fixture.start();
        fixture.handle("/known", HttpMethod.GET, answer("k"));

        RawClient.Response response = fixture.connect().exchange(get("/unknown"));

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(response.bodyText()).isEqualTo("Nothing matches the given URI");
        assertThat(response.header("Content-Type")).isEqualTo("text/html");
    }

    @Test
    void onlyTheMethodDifferingIs405WithAllow() throws Exception {
        fixture.start();
        fixture.handle("/r", HttpMethod.GET, answer("get"));
        fixture.handle("/r", HttpMethod.POST, answer("post"));
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange(request("DELETE", "/r"));

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 405 Method Not Allowed");
        assertThat(response.bodyText()).isEqualTo("Specified method is invalid for this resource");
        assertThat(response.header("Allow")).isEqualTo("GET, HEAD, POST");
        assertThat(response.header("Connection")).isNull();
        assertThat(client.exchange(get("/r")).bodyText()).isEqualTo("get");
    }

    @Test
    void aServerWithoutRoomForExtraResponseHeadersStillAnswers405() throws Exception {
        fixture.start(b -> b.maxRespHeaders(0));
        fixture.handle("/r", HttpMethod.GET, answer("get"));
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange(request("PUT", "/r"));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void headIsServedByTheGetHandlerWithoutABody() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/page", HttpMethod.GET, (req, resp) -> resp.send("twelve bytes"));
        RawClient client = fixture.connect();

        client.send("HEAD /page HTTP/1.1\r\nHost: x\r\n\r\n");
        RawClient.Response head = client.read(true);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("12");
        // had body bytes followed the head, they would be read as the next status line
        assertThat(client.exchange(get("/page")).bodyText()).isEqualTo("twelve bytes");

        Curl.Result curl = Curl.run("--head", "http://127.0.0.1:" + server.port() + "/page");
        assertThat(curl.exitCode()).as(curl.stderr()).isZero();
        assertThat(curl.stdout()).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-length: 12");
    }

    @Test
    void headOnAChunkedGetHandlerSendsTheHeadOnly() throws Exception {
        fixture.start();
        fixture.handle("/stream", HttpMethod.GET, (req, resp) -> {
            resp.sendChunk("streamed");
            resp.sendChunk("");
        });
        RawClient client = fixture.connect();

        client.send("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        RawClient.Response head = client.read(true);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(client.exchange(get("/stream")).bodyText()).isEqualTo("streamed");
    }

    @Test
    void aHandlerRegisteredWhileServingIsUsedAtOnceAndOthersKeepWorking() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/stable", HttpMethod.GET, answer("stable"));
        Thread churn = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 300; i++) {
                server.registerUriHandler(UriHandler.of("/dyn/" + i, HttpMethod.GET, answer("dyn")));
                server.unregisterUriHandler("/dyn/" + i, HttpMethod.GET);
            }
        });
        RawClient client = fixture.connect();

        for (int i = 0; i < 100; i++) {
            assertThat(client.exchange(get("/stable")).bodyText()).isEqualTo("stable");
        }
        churn.join(10_000);
        assertThat(churn.isAlive()).isFalse();
        assertThat(server.uriHandlers()).hasSize(1);

        fixture.handle("/late", HttpMethod.GET, answer("late"));
        assertThat(client.exchange(get("/late")).bodyText()).isEqualTo("late");
    }
}
