package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final Map<String, Object> seen = new ConcurrentHashMap<>();

    /** Reads the whole body with recv() until it returns 0, as ESP handlers do. */
    private static String recvAll(HttpRequest req) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[7];
        int n;
        while ((n = req.recv(buffer, 0, buffer.length)) > 0) {
            body.write(buffer, 0, n);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theRequestLineAndHeadersAreExposed() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/items/7", HttpMethod.PUT, (req, resp) -> {
            seen.put("method", req.method());
            seen.put("uri", req.uri());
            seen.put("path", req.path());
            seen.put("query", req.rawQuery());
            seen.put("protocol", req.protocol());
            seen.put("length", req.contentLength());
            seen.put("type", req.header("content-TYPE").orElseThrow());
            seen.put("accept", req.headers("ACCEPT"));
            seen.put("names", req.headerNames());
            seen.put("absent", req.header("X-Absent"));
            resp.send("ok");
        });

        fixture.connect().exchange("""
                PUT /items/7?a=1&b=two HTTP/1.1\r
                Host: x\r
                Content-Type: text/plain\r
                Accept: text/html\r
                accept: application/json\r
                Content-Length: 0\r
                \r
                """);

        assertThat(seen)
                .containsEntry("method", HttpMethod.PUT)
                .containsEntry("uri", "/items/7?a=1&b=two")
                .containsEntry("path", "/items/7")
                .containsEntry("query", "a=1&b=two")
                .containsEntry("protocol", "HTTP/1.1")
                .containsEntry("length", 0L)
                .containsEntry("type", "text/plain")
                .containsEntry("accept", List.of("text/html", "application/json"))
                .containsEntry("names", List.of("Host", "Content-Type", "Accept", "accept", "Content-Length"))
                .containsEntry("absent", Optional.empty());
        assertThat(server.port()).isPositive();
    }

    @Test
    void aRequestWithoutQueryHasANullRawQuery() throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.send(String.valueOf(req.rawQuery())));

        assertThat(fixture.connect()
                        .exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodyText())
                .isEqualTo("null");
    }

    @Test
    void queryValuesFollowEspSemanticsAndCanBeDecoded() throws Exception {
        fixture.start();
        fixture.handle("/q", HttpMethod.GET, (req, resp) -> {
            seen.put("raw", req.queryValue("NAME").orElseThrow());
            seen.put("decoded", req.decodedQueryValue("name").orElseThrow());
            seen.put("empty", req.queryValue("e").orElseThrow());
            seen.put("missing", req.queryValue("nope").isPresent());
            resp.send("ok");
        });

        fixture.connect().exchange("GET /q?e=&Name=J%C3%BCrgen+M%C3%BCller&x=1 HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(seen)
                .containsEntry("raw", "J%C3%BCrgen+M%C3%BCller")
                .containsEntry("decoded", "Jürgen Müller")
                .containsEntry("empty", "")
                .containsEntry("missing", false);
    }

    @ParameterizedTest(name = "''{0}'' [{1}] = {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NONE",
            value = {
                "a=1&b=2       | b     | 2",
                "a=1&b=2       | B     | 2",
                "KEY=v         | key   | v",
                "a=%20x&b=2    | a     | %20x",
                "a=1&a=2       | a     | 1",
                "ab=1&a=2      | a     | 2",
                "a=1=2&b=3     | a     | 1=2",
                "a=1&flag&b=2  | b     | NONE",
                "a=1           | b     | NONE",
                "''            | a     | NONE",
            })
    void queryKeyValueIsEspsHelper(String query, String key, String expected) {
        assertThat(HttpRequest.queryKeyValue(query, key)).isEqualTo(Optional.ofNullable(expected));
    }

    // malformed escapes (%zz, %4, a final %) never get this far: the parser answers 400
    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "a+b         | a b",
                "%41%42      | AB",
                "%e2%82%ac   | €",
                "100%25      | 100%",
                "plain       | plain",
            })
    void decodedQueryValuesArePercentAndPlusDecoded(String raw, String decoded) throws Exception {
        fixture.start();
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.contentType("text/plain; charset=utf-8")
                        .send(req.decodedQueryValue("v").orElseThrow()));

        assertThat(fixture.connect()
                        .exchange("GET /?v=" + raw + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodyText())
                .isEqualTo(decoded);
    }

    @Test
    void cookiesAreFoundByCaseInsensitiveName() throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            seen.put("session", req.cookie("session").orElseThrow());
            seen.put("theme", req.cookie("theme").orElseThrow());
            seen.put("missing", req.cookie("nope").isPresent());
            resp.send("ok");
        });

        fixture.connect().exchange("GET / HTTP/1.1\r\nHost: x\r\nCookie: theme=dark; SESSION=abc123; x=\"y\"\r\n\r\n");

        assertThat(seen)
                .containsEntry("session", "abc123")
                .containsEntry("theme", "dark")
                .containsEntry("missing", false);
    }

    @Test
    void recvReturnsTheBodyThenZero() throws Exception {
        fixture.start();
        fixture.handle("/echo", HttpMethod.POST, (req, resp) -> {
            seen.put("length", req.contentLength());
            String body = recvAll(req);
            seen.put("again", req.recv(new byte[4], 0, 4));
            resp.send(body);
        });
        RawClient client = fixture.connect();

        RawClient.Response response =
                client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 23\r\n\r\nnot a multiple of seven");

        assertThat(response.bodyText()).isEqualTo("not a multiple of seven");
        assertThat(seen).containsEntry("length", 23L).containsEntry("again", 0);
        assertThat(client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok")
                        .bodyText())
                .isEqualTo("ok");
    }

    @Test
    void recvThrowsSocketTimeoutExceptionWhenTheBodyStallsAndCanBeRetried() throws Exception {
        fixture.start(b -> b.recvWaitTimeout(ServerFixture.shortTimeout()));
        List<String> outcomes = new CopyOnWriteArrayList<>();
        fixture.handle("/slow", HttpMethod.POST, (req, resp) -> {
            byte[] buffer = new byte[64];
            StringBuilder body = new StringBuilder();
            for (int attempt = 0; attempt < 60 && body.length() < 6; attempt++) {
                try {
                    int n = req.recv(buffer, 0, buffer.length);
                    outcomes.add("read " + n);
                    body.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
                } catch (SocketTimeoutException e) {
                    outcomes.add("timeout");
                }
            }
            resp.send(body.toString());
        });
        RawClient client = fixture.connect();

        client.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc");
        Await.until("a receive timeout", () -> outcomes.contains("timeout"));
        client.send("def");

        assertThat(client.read().bodyText()).isEqualTo("abcdef");
        assertThat(outcomes).startsWith("read 3", "timeout").endsWith("read 3").doesNotContain("read 0");
    }

    @Test
    void chunkedRequestBodiesWithExtensionsAndTrailersAreDecoded() throws Exception {
        fixture.start();
        fixture.handle("/echo", HttpMethod.POST, (req, resp) -> {
            seen.put("length", req.contentLength());
            resp.send(recvAll(req));
        });
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("""
                POST /echo HTTP/1.1\r
                Host: x\r
                Transfer-Encoding: chunked\r
                \r
                5;name=value\r
                hello\r
                6 ; quoted="a;b"\r
                 world\r
                A\r
                 of chunks\r
                0\r
                Checksum: abc\r
                Other: trailer\r
                \r
                """);

        assertThat(response.bodyText()).isEqualTo("hello world of chunks");
        assertThat(seen).containsEntry("length", -1L);
        assertThat(client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nnext")
                        .bodyText())
                .as("the connection is reusable after the trailers")
                .isEqualTo("next");
    }

    @Test
    void chunkedBodiesFromCurlAndHttpClientAreDecoded() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle(
                "/echo",
                HttpMethod.POST,
                (req, resp) -> resp.send(new String(req.body().readAllBytes(), StandardCharsets.UTF_8)));
        String url = "http://127.0.0.1:" + server.port() + "/echo";

        Curl.Result curl = Curl.run("-H", "Transfer-Encoding: chunked", "--data-binary", "from curl", url);
        assertThat(curl.exitCode()).as(curl.stderr()).isZero();
        assertThat(curl.stdout()).isEqualTo("from curl");

        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var request = java.net.http.HttpRequest.newBuilder(URI.create(url))
                .POST(BodyPublishers.ofInputStream(() ->
                        new java.io.ByteArrayInputStream("x".repeat(50_000).getBytes(StandardCharsets.UTF_8))))
                .build();
        var response = client.send(request, BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(50_000);
    }

    @Test
    void continue100IsSentOnlyWhenTheHandlerReadsTheBody() throws Exception {
        fixture.start();
        fixture.handle("/read", HttpMethod.POST, (req, resp) -> resp.send("got " + recvAll(req)));
        fixture.handle(
                "/ignore", HttpMethod.POST, (req, resp) -> resp.status(403).send("no"));

        RawClient reader = fixture.connect();
        reader.send("POST /read HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        assertThat(reader.read().statusLine()).isEqualTo("HTTP/1.1 100 Continue");
        reader.send("body");
        assertThat(reader.read().bodyText()).isEqualTo("got body");

        RawClient ignored = fixture.connect();
        ignored.send("POST /ignore HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        RawClient.Response refusal = ignored.read();
        assertThat(refusal.status()).isEqualTo(403);
        // the body may still be on its way: it cannot be told from a next request, so close
        assertThat(refusal.header("Connection")).isEqualTo("close");
        assertThat(ignored.closedByServer()).isTrue();
    }

    @Test
    void curlWaitingForContinueGetsIt() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle(
                "/up",
                HttpMethod.POST,
                (req, resp) -> resp.send("got " + recvAll(req).length()));

        // without our 100, curl would wait the 30 s expect timeout and hit --max-time
        Curl.Result curl = Curl.run(
                "--expect100-timeout",
                "30",
                "-H",
                "Expect: 100-continue",
                "--data-binary",
                "y".repeat(2000),
                "http://127.0.0.1:" + server.port() + "/up");

        assertThat(curl.exitCode()).as(curl.stderr()).isZero();
        assertThat(curl.stdout()).isEqualTo("got 2000");
    }

    @Test
    void theSessionAndItsAddressesAreExposed() throws Exception {
        HttpServer server = fixture.start();
        List<Object> sessionInfo = new ArrayList<>();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            HttpSession session = req.session();
            sessionInfo.add(session.id());
            sessionInfo.add(session.remoteAddress());
            sessionInfo.add(session.localAddress());
            sessionInfo.add(session.isOpen());
            sessionInfo.add(server.session(session.id()).orElseThrow());
            sessionInfo.add(session.server());
            resp.send("ok");
        });
        RawClient client = fixture.connect();

        client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        int id = (Integer) sessionInfo.get(0);
        assertThat(server.clientList()).containsExactly(id);
        assertThat(((java.net.InetSocketAddress) sessionInfo.get(1)).getPort()).isEqualTo(client.localPort());
        assertThat(((java.net.InetSocketAddress) sessionInfo.get(1))
                        .getAddress()
                        .isLoopbackAddress())
                .isTrue();
        assertThat(((java.net.InetSocketAddress) sessionInfo.get(2)).getPort()).isEqualTo(server.port());
        assertThat(sessionInfo.get(3)).isEqualTo(true);
        assertThat(((HttpSession) sessionInfo.get(4)).id()).isEqualTo(id);
        assertThat(sessionInfo.get(5)).isSameAs(server);
    }
}
