package dev.httpsd.test.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.UriMatcher;
import dev.httpsd.test.RawHttpConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mocks cannot drift from the server: each test runs one handler on one request twice, on the
 * real server over a socket and on {@link MockHttpRequest}/{@link MockHttpResponse}, and applies
 * the same assertions to both: what the handler saw and what the client got.
 */
class HandlerContractTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String PATH = "/contract";
    private static final String TEMPLATE = PATH + "/{owner}/{*rest}";

    private static HttpServer server;
    private static final AtomicReference<RequestHandler> current = new AtomicReference<>();

    @BeforeAll
    static void startTheServer() throws IOException {
        server = HttpServer.start(HttpServerConfig.builder()
                .serverPort(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .recvWaitTimeout(Duration.ofMillis(300))
                .uriMatcher(UriMatcher.template())
                .build());
        RequestHandler delegate = (request, response) -> current.get().handle(request, response);
        server.registerUriHandler(UriHandler.of(PATH, HttpMethod.ANY, delegate));
        server.registerUriHandler(UriHandler.of(TEMPLATE, HttpMethod.ANY, delegate));
    }

    @AfterAll
    static void stopTheServer() {
        server.stop();
    }

    @Test
    void headersAreCaseInsensitiveFirstMatchInTheOrderReceived() {
        both(
                request("GET", PATH)
                        .header("X-Twice", "first")
                        .header("x-twice", "second")
                        .header("Accept", "*/*"),
                (req, resp, seen) -> {
                    seen.add("first " + req.header("x-TWICE").orElse("-"));
                    seen.add("all " + req.headers("X-Twice"));
                    seen.add("names " + req.headerNames());
                    seen.add("missing " + req.header("X-None").isPresent());
                },
                exchange -> assertThat(exchange.seen())
                        .containsExactly(
                                "first first",
                                "all [first, second]",
                                "names [Host, X-Twice, x-twice, Accept]",
                                "missing false"));
    }

    @Test
    void queryValuesFollowEspRawAndDecoded() {
        both(
                request("GET", PATH + "?Name=Ada%20L&city=S%C3%A3o+Paulo&empty=&flag&after=1"),
                (req, resp, seen) -> {
                    seen.add("path " + req.path());
                    seen.add("raw " + req.rawQuery());
                    seen.add("name " + req.queryValue("name").orElse("-"));
                    seen.add("decoded " + req.decodedQueryValue("NAME").orElse("-"));
                    seen.add("city " + req.decodedQueryValue("city").orElse("-"));
                    seen.add("empty [" + req.queryValue("empty").orElse("-") + "]");
                    seen.add("after flag " + req.queryValue("after").orElse("-"));
                },
                exchange -> assertThat(exchange.seen())
                        .containsExactly(
                                "path /contract",
                                "raw Name=Ada%20L&city=S%C3%A3o+Paulo&empty=&flag&after=1",
                                "name Ada%20L",
                                "decoded Ada L",
                                "city São Paulo",
                                "empty []",
                                "after flag -"));
    }

    @Test
    void cookiesAreFoundByNameCaseInsensitiveAndUnquoted() {
        both(
                request("GET", PATH).header("Cookie", "session=abc; Theme=\"dark\"; empty="),
                (req, resp, seen) -> {
                    seen.add(req.cookie("SESSION").orElse("-"));
                    seen.add(req.cookie("theme").orElse("-"));
                    seen.add("[" + req.cookie("empty").orElse("-") + "]");
                    seen.add(req.cookie("none").orElse("-"));
                },
                exchange -> assertThat(exchange.seen()).containsExactly("abc", "dark", "[]", "-"));
    }

    @Test
    void uriTemplateVariablesArePercentDecodedInTemplateOrderAndTheRestKeepsItsSlash() {
        both(
                request("GET", PATH + "/ad%C3%A9/docs/a%20b+c.txt?owner=query").uriTemplate(TEMPLATE),
                (req, resp, seen) -> {
                    seen.add("owner " + req.pathVariable("owner").orElse("-"));
                    seen.add("rest " + req.pathVariable("rest").orElse("-"));
                    seen.add("all " + req.pathVariables());
                    seen.add("other " + req.pathVariable("other").isPresent());
                },
                exchange -> assertThat(exchange.seen())
                        .containsExactly(
                                "owner adé",
                                "rest /docs/a b+c.txt",
                                "all {owner=adé, rest=/docs/a b+c.txt}",
                                "other false"));
    }

    @Test
    void anExactUriHasNoPathVariables() {
        both(
                request("GET", PATH),
                (req, resp, seen) -> {
                    seen.add("all " + req.pathVariables());
                    seen.add("owner " + req.pathVariable("owner").isPresent());
                },
                exchange -> assertThat(exchange.seen()).containsExactly("all {}", "owner false"));
    }

    @Test
    void aFixedBodyIsReadWithRecvUntilItReturnsZero() {
        both(
                request("POST", PATH).body("hello ").body("world"),
                (req, resp, seen) -> {
                    seen.add("length " + req.contentLength());
                    byte[] buffer = new byte[4];
                    StringBuilder body = new StringBuilder();
                    int n;
                    while ((n = req.recv(buffer, 0, buffer.length)) > 0) {
                        body.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                    seen.add("body " + body);
                    seen.add("after the end " + req.recv(buffer, 0, buffer.length));
                },
                exchange -> assertThat(exchange.seen())
                        .containsExactly("length 11", "body hello world", "after the end 0"));
    }

    @Test
    void aChunkedBodyHasNoLengthAndStreamsThroughBody() {
        both(
                request("POST", PATH).chunked().body("chunk one, ").body("chunk two"),
                (req, resp, seen) -> {
                    seen.add("length " + req.contentLength());
                    seen.add("body " + new String(req.body().readAllBytes(), StandardCharsets.UTF_8));
                    seen.add("stream end " + req.body().read());
                },
                exchange -> assertThat(exchange.seen())
                        .containsExactly("length -1", "body chunk one, chunk two", "stream end -1"));
    }

    @Test
    void aStalledBodyTimesTheReadOutAndARetryGoesOn() {
        both(
                request("POST", PATH).contentLength(8).body("half").stall().body("more"),
                (req, resp, seen) -> {
                    byte[] buffer = new byte[16];
                    StringBuilder body = new StringBuilder();
                    while (true) {
                        int n;
                        try {
                            n = req.recv(buffer, 0, buffer.length);
                        } catch (SocketTimeoutException e) {
                            seen.add("timeout after " + body);
                            continue;
                        }
                        if (n == 0) {
                            break;
                        }
                        body.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                    seen.add("body " + body);
                    resp.send("ok");
                },
                exchange -> {
                    assertThat(exchange.seen()).containsExactly("timeout after half", "body halfmore");
                    assertThat(exchange.bodyText()).isEqualTo("ok");
                });
    }

    @Test
    void theRawHeadIsTheRequestLineAndHeadersAsReceived() {
        both(
                request("GET", PATH + "?a=1").header("X-One", "1"),
                (req, resp, seen) -> seen.add(new String(req.rawHead(), StandardCharsets.ISO_8859_1)),
                exchange -> assertThat(exchange.seen())
                        .containsExactly("GET /contract?a=1 HTTP/1.1\r\nHost: localhost\r\nX-One: 1\r\n\r\n"));
    }

    @Test
    void statusContentTypeAndHeadersAreSentWithTheBody() {
        both(
                request("GET", PATH),
                (req, resp, seen) -> resp.status(201)
                        .contentType("text/plain; charset=utf-8")
                        .header("X-Custom", "one")
                        .send("created"),
                exchange -> {
                    assertThat(exchange.status()).isEqualTo(201);
                    assertThat(exchange.header("content-type")).isEqualTo("text/plain; charset=utf-8");
                    assertThat(exchange.header("x-custom")).isEqualTo("one");
                    assertThat(exchange.bodyText()).isEqualTo("created");
                });
    }

    @Test
    void theDefaultsAre200AndTextHtmlAndANothingSentIsAnEmptyResponse() {
        both(request("GET", PATH), (req, resp, seen) -> {}, exchange -> {
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(exchange.header("content-type")).isEqualTo("text/html");
            assertThat(exchange.bodyText()).isEmpty();
        });
    }

    @Test
    void theHeadAfterItIsSentRefusesChangesAndASecondSend() {
        both(
                request("GET", PATH),
                (req, resp, seen) -> {
                    resp.send("once");
                    seen.add("committed " + resp.isCommitted());
                    seen.add(failure(() -> resp.header("X-Late", "1")));
                    seen.add(failure(() -> resp.status(404)));
                    seen.add(failure(() -> resp.contentType("text/plain")));
                    seen.add(failure(() -> resp.send("twice")));
                    seen.add(failure(() -> resp.sendChunk("chunk")));
                    seen.add(failure(() -> resp.sendError(HttpError.NOT_FOUND_404, null)));
                },
                exchange -> {
                    assertThat(exchange.seen())
                            .containsExactly(
                                    "committed true",
                                    "IllegalStateException: cannot set headers: the response head was already sent",
                                    "IllegalStateException: cannot set status: the response head was already sent",
                                    "IllegalStateException: cannot set content type: the response head was already sent",
                                    "IllegalStateException: response already sent (finished)",
                                    "IllegalStateException: response already complete",
                                    "IllegalStateException: cannot send an error: the response was already started");
                    assertThat(exchange.bodyText()).isEqualTo("once");
                });
    }

    @Test
    void badHeadersAndABodyOnA204AreRefused() {
        both(
                request("GET", PATH),
                (req, resp, seen) -> {
                    seen.add(failure(() -> resp.header("Content-Length", "1")));
                    seen.add(failure(() -> resp.header("Bad Name", "x")));
                    seen.add(failure(() -> resp.header("X-Split", "a\r\nb")));
                    seen.add(failure(() -> resp.status("2xx nope")));
                    resp.status(204);
                    seen.add(failure(() -> resp.send("body")));
                    resp.send((String) null);
                },
                exchange -> {
                    assertThat(exchange.seen())
                            .containsExactly(
                                    "IllegalArgumentException: Content-Length is set by the server: send(body) sends a"
                                            + " Content-Length, sendChunk() and outputStream() use chunked transfer coding",
                                    "IllegalArgumentException: header name is not an HTTP token: Bad Name",
                                    "IllegalArgumentException: CR, LF or NUL in the value of header X-Split refused",
                                    "IllegalArgumentException: status must be a three-digit code and optional reason:"
                                            + " 2xx nope",
                                    "IllegalArgumentException: a 204 response has no body");
                    assertThat(exchange.status()).isEqualTo(204);
                });
    }

    @Test
    void chunksAndTheOutputStreamMakeOneBody() {
        both(
                request("GET", PATH),
                (req, resp, seen) -> {
                    resp.sendChunk("one ");
                    try (OutputStream out = resp.outputStream()) {
                        out.write("two ".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        out.write("three".getBytes(StandardCharsets.UTF_8));
                    }
                    seen.add(failure(() -> resp.sendChunk("four")));
                },
                exchange -> {
                    assertThat(exchange.header("transfer-encoding")).isEqualTo("chunked");
                    assertThat(exchange.bodyText()).isEqualTo("one two three");
                    assertThat(exchange.seen()).containsExactly("IllegalStateException: response already complete");
                });
    }

    @Test
    void sendErrorSendsEspsStatusAndText() {
        both(request("GET", PATH), (req, resp, seen) -> resp.sendError(HttpError.NOT_FOUND_404, null), exchange -> {
            assertThat(exchange.statusLine()).isEqualTo("404 Not Found");
            assertThat(exchange.header("content-type")).isEqualTo("text/html");
            assertThat(exchange.bodyText()).isEqualTo("Nothing matches the given URI");
        });
    }

    @Test
    void aHandlerThatThrowsBeforeSendingGetsTheClientEsps500AndTheSessionClosed() {
        both(
                request("GET", PATH),
                (req, resp, seen) -> {
                    throw new IllegalStateException("handler bug");
                },
                exchange -> {
                    assertThat(exchange.status()).isEqualTo(500);
                    assertThat(exchange.bodyText()).isEqualTo("Server has encountered an unexpected error");
                    assertThat(exchange.sessionClosed()).isTrue();
                });
    }

    @Test
    void connectionCloseFromTheHandlerClosesTheSession() {
        both(
                request("GET", PATH),
                (req, resp, seen) -> resp.header("Connection", "close").send("bye"),
                exchange -> {
                    assertThat(exchange.bodyText()).isEqualTo("bye");
                    assertThat(exchange.sessionClosed()).isTrue();
                });
    }

    @Test
    void anAsyncRequestIsFinishedOnAnotherThread() {
        both(
                request("GET", PATH + "?who=worker"),
                (req, resp, seen) -> {
                    var async = req.beginAsync();
                    Thread.ofVirtual().start(() -> {
                        try {
                            async.response()
                                    .contentType("text/plain")
                                    .send("finished for "
                                            + async.request().queryValue("who").orElse("-"));
                        } catch (IOException e) {
                            seen.add("send failed " + e);
                        } finally {
                            async.complete();
                            async.complete();
                        }
                    });
                },
                exchange -> {
                    assertThat(exchange.header("content-type")).isEqualTo("text/plain");
                    assertThat(exchange.bodyText()).isEqualTo("finished for worker");
                });
    }

    @Test
    void aPartOfAFileIsTheBodyAndARangeOutsideTheFileIsRefusedBeforeAnythingIsSent(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "0123456789abcdef", StandardCharsets.US_ASCII);
        both(
                request("GET", PATH),
                (req, resp, seen) -> {
                    try (FileChannel channel = FileChannel.open(file)) {
                        seen.add(failure(() -> resp.sendFile(channel, 10, 7)));
                        seen.add("committed " + resp.isCommitted());
                        resp.contentType("text/plain").sendFile(channel, 4, 6);
                    }
                },
                exchange -> {
                    assertThat(exchange.seen())
                            .containsExactly(
                                    "IllegalArgumentException: cannot send 7 bytes from byte 10 of a file of 16 bytes",
                                    "committed false");
                    assertThat(exchange.header("content-type")).isEqualTo("text/plain");
                    assertThat(exchange.bodyText()).isEqualTo("456789");
                });
    }

    @Test
    void aHeadRequestGetsTheHeadOnly() {
        both(
                request("HEAD", PATH),
                (req, resp, seen) -> resp.header("X-Head", "yes").send("not sent"),
                exchange -> {
                    assertThat(exchange.header("x-head")).isEqualTo("yes");
                    assertThat(exchange.bodyText()).isEmpty();
                });
    }

    // --- running one exchange on both ---

    /** What a handler does; {@code seen} collects what it observed, on any thread. */
    @FunctionalInterface
    interface ContractHandler {
        void handle(HttpRequest request, HttpResponse response, List<String> seen) throws Exception;
    }

    /** What the client got and what the handler saw. */
    record Exchange(String statusLine, List<String[]> headers, byte[] body, boolean sessionClosed, List<String> seen) {
        int status() {
            return Integer.parseInt(statusLine.substring(0, 3));
        }

        String header(String name) {
            return headers.stream()
                    .filter(h -> h[0].equalsIgnoreCase(name))
                    .map(h -> h[1])
                    .findFirst()
                    .orElse(null);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private void both(RequestSpec spec, ContractHandler handler, Consumer<Exchange> assertions) {
        Exchange real = onTheServer(spec, handler);
        Exchange mock = onTheMocks(spec, handler);
        assertThat(real).as("on the server").satisfies(assertions);
        assertThat(mock).as("on the mocks").satisfies(assertions);
        assertThat(mock.seen()).as("the handler saw the same on both").isEqualTo(real.seen());
        assertThat(mock.statusLine()).as("status line").isEqualTo(real.statusLine());
        assertThat(mock.bodyText()).as("body").isEqualTo(real.bodyText());
        assertThat(mock.sessionClosed()).as("session closed").isEqualTo(real.sessionClosed());
    }

    private static Exchange onTheServer(RequestSpec spec, ContractHandler handler) {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        current.set((request, response) -> {
            try {
                handler.handle(request, response, seen);
            } finally {
                done.countDown();
            }
        });
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            spec.sendTo(connection, seen);
            RawHttpConnection.Response response = connection.read(spec.method.equals("HEAD"));
            assertThat(done.await(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .as("handler finished")
                    .isTrue();
            List<String[]> headers = new ArrayList<>();
            response.headers().forEach((name, value) -> headers.add(new String[] {name, value}));
            boolean closed = "close".equalsIgnoreCase(response.header("connection")) && connection.closedByServer();
            // an asynchronous handler's thread may still add to seen after the latch: wait for the response instead
            return new Exchange(
                    response.statusLine().substring("HTTP/1.1 ".length()), headers, response.body(), closed, seen);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static Exchange onTheMocks(RequestSpec spec, ContractHandler handler) {
        List<String> seen = new CopyOnWriteArrayList<>();
        MockHttpRequest request = spec.toMock();
        MockHttpResponse response = MockHttpResponse.handle((req, resp) -> handler.handle(req, resp, seen), request);
        try {
            response.awaitCompletion(PATIENCE);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        List<String[]> headers = new ArrayList<>();
        if (response.contentType() != null) {
            headers.add(new String[] {"content-type", response.contentType()});
        }
        response.headerFields().forEach(h -> headers.add(new String[] {h.getKey(), h.getValue()}));
        if (response.isChunked()) {
            headers.add(new String[] {"transfer-encoding", "chunked"});
        }
        return new Exchange(response.statusLine(), headers, response.body(), response.closesSession(), seen);
    }

    private static String failure(ThrowingRunnable action) {
        try {
            action.run();
            return "no exception";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static RequestSpec request(String method, String uri) {
        return new RequestSpec(method, uri);
    }

    /** One request, written raw for the server and built for the mocks. */
    static final class RequestSpec {
        private static final String STALL = "\u0000stall";
        final String method;
        final String uri;
        final List<String[]> headers = new ArrayList<>();
        final List<String> parts = new ArrayList<>();
        boolean chunked;
        Long contentLength;
        String uriTemplate;

        RequestSpec(String method, String uri) {
            this.method = method;
            this.uri = uri;
        }

        RequestSpec header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        RequestSpec body(String part) {
            parts.add(part);
            return this;
        }

        RequestSpec stall() {
            parts.add(STALL);
            return this;
        }

        /** The template the server routes this request by; the mock is given it too. */
        RequestSpec uriTemplate(String template) {
            uriTemplate = template;
            return this;
        }

        RequestSpec chunked() {
            chunked = true;
            return this;
        }

        RequestSpec contentLength(long length) {
            contentLength = length;
            return this;
        }

        private long length() {
            return contentLength != null
                    ? contentLength
                    : parts.stream()
                            .filter(p -> !p.equals(STALL))
                            .mapToLong(p -> p.getBytes(StandardCharsets.UTF_8).length)
                            .sum();
        }

        MockHttpRequest toMock() {
            MockHttpRequest.Builder builder = MockHttpRequest.request(HttpMethod.fromToken(method), uri);
            headers.forEach(h -> builder.header(h[0], h[1]));
            if (chunked) {
                builder.chunked();
            }
            if (contentLength != null) {
                builder.contentLength(contentLength);
            }
            if (uriTemplate != null) {
                builder.uriTemplate(uriTemplate);
            }
            for (String part : parts) {
                if (part.equals(STALL)) {
                    builder.stall();
                } else {
                    builder.body(part);
                }
            }
            return builder.build();
        }

        /** Writes the request; at a stall, waits for the handler's read to time out first. */
        void sendTo(RawHttpConnection connection, List<String> seen) throws IOException {
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(uri).append(" HTTP/1.1\r\nHost: localhost\r\n");
            headers.forEach(h -> head.append(h[0]).append(": ").append(h[1]).append("\r\n"));
            if (chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (length() > 0) {
                head.append("Content-Length: ").append(length()).append("\r\n");
            }
            connection.send(head.append("\r\n").toString());
            for (String part : parts) {
                if (part.equals(STALL)) {
                    awaitTimeoutSeen(seen);
                    continue;
                }
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                if (chunked) {
                    connection.send(Integer.toHexString(bytes.length).toUpperCase(Locale.ROOT) + "\r\n");
                    connection.send(bytes);
                    connection.send("\r\n");
                } else {
                    connection.send(bytes);
                }
            }
            if (chunked) {
                connection.send("0\r\n\r\n");
            }
        }

        private static void awaitTimeoutSeen(List<String> seen) {
            await().atMost(PATIENCE)
                    .alias("the handler's read timed out")
                    .until(() -> seen.stream().anyMatch(s -> s.startsWith("timeout")));
        }
    }
}
