package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResponseTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final List<Throwable> refused = new CopyOnWriteArrayList<>();

    private RawClient.Response get(RequestHandler handler) throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, handler);
        return fixture.connect().exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    /** The raw bytes of one response, read until the server closes. */
    private String rawResponse(RequestHandler handler) throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, handler);
        RawClient client = fixture.connect();
        client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        return client.readToEnd();
    }

    @Test
    void statusIsSetByCodeOrByFullLine() throws Exception {
        fixture.start();
        fixture.handle(
                "/created", HttpMethod.GET, (req, resp) -> resp.status(201).send("c"));
        fixture.handle(
                "/custom",
                HttpMethod.GET,
                (req, resp) -> resp.status("299 Very Custom").send("c"));
        fixture.handle("/bad", HttpMethod.GET, (req, resp) -> {
            for (String line : List.of("2000 OK", "OK", "200 OK\r\nX: y", "20x Bad")) {
                try {
                    resp.status(line);
                } catch (IllegalArgumentException e) {
                    refused.add(e);
                }
            }
            resp.send("still 200");
        });
        RawClient client = fixture.connect();

        assertThat(client.exchange("GET /created HTTP/1.1\r\nHost: x\r\n\r\n").statusLine())
                .isEqualTo("HTTP/1.1 201 Created");
        assertThat(client.exchange("GET /custom HTTP/1.1\r\nHost: x\r\n\r\n").statusLine())
                .isEqualTo("HTTP/1.1 299 Very Custom");
        RawClient.Response bad = client.exchange("GET /bad HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(bad.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(refused).hasSize(4);
    }

    @Test
    void contentTypeDefaultsToTextHtml() throws Exception {
        fixture.start();
        fixture.handle("/default", HttpMethod.GET, (req, resp) -> resp.send("d"));
        fixture.handle(
                "/json",
                HttpMethod.GET,
                (req, resp) -> resp.contentType("application/json").send("{}"));
        fixture.handle(
                "/none", HttpMethod.GET, (req, resp) -> resp.contentType(null).send("n"));
        RawClient client = fixture.connect();

        assertThat(client.exchange("GET /default HTTP/1.1\r\nHost: x\r\n\r\n").header("Content-Type"))
                .isEqualTo("text/html");
        assertThat(client.exchange("GET /json HTTP/1.1\r\nHost: x\r\n\r\n").header("Content-Type"))
                .isEqualTo("application/json");
        assertThat(client.exchange("GET /none HTTP/1.1\r\nHost: x\r\n\r\n").headers())
                .doesNotContainKey("content-type");
    }

    @Test
    void extraHeadersAreBoundedByMaxRespHeaders() throws Exception {
        fixture.start(b -> b.maxRespHeaders(2));
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            resp.header("X-Dup", "1").header("X-Dup", "2");
            try {
                resp.header("X-Third", "3");
            } catch (HttpServerException e) {
                refused.add(e);
            }
            resp.send("h");
        });

        RawClient.Response response = fixture.connect().exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.header("X-Dup")).isEqualTo("1, 2");
        assertThat(response.headers()).doesNotContainKey("x-third");
        assertThat(refused)
                .singleElement()
                .isInstanceOfSatisfying(
                        HttpServerException.class,
                        e -> assertThat(e.reason()).isEqualTo(HttpServerException.Reason.RESP_HDR));
    }

    @Test
    void aFixedResponseIsFramedByContentLengthWithADate() throws Exception {
        String raw = rawResponse((req, resp) -> resp.send("héllo"));

        String[] parts = raw.split("\r\n\r\n", 2);
        assertThat(parts[0])
                .startsWith("HTTP/1.1 200 OK\r\n")
                .contains("\r\nContent-Length: 6\r\n")
                .contains("\r\nConnection: close")
                .doesNotContain("Transfer-Encoding");
        assertThat(parts[1].getBytes(StandardCharsets.ISO_8859_1)).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        String date = parts[0].lines()
                .filter(l -> l.startsWith("Date: "))
                .findFirst()
                .orElseThrow()
                .substring(6);
        assertThat(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME))
                .isBetween(
                        ZonedDateTime.now().minusMinutes(1), ZonedDateTime.now().plusMinutes(1));
    }

    @Test
    void chunksAreFramedInLowercaseHexAndEndWithAnEmptyChunk() throws Exception {
        String raw = rawResponse((req, resp) -> {
            resp.sendChunk("abcdefghijklmnopqrstuvwxyz");
            resp.sendChunk("!".getBytes(StandardCharsets.US_ASCII));
            resp.sendChunk((String) null);
        });

        String[] parts = raw.split("\r\n\r\n", 2);
        assertThat(parts[0]).contains("\r\nTransfer-Encoding: chunked").doesNotContain("Content-Length");
        assertThat(parts[1]).isEqualTo("1a\r\nabcdefghijklmnopqrstuvwxyz\r\n1\r\n!\r\n0\r\n\r\n");
    }

    @Test
    void aChunkedResponseLeftOpenIsTerminatedForTheHandler() throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.sendChunk("partial"));
        RawClient client = fixture.connect();

        assertThat(client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                .isEqualTo("partial");
        assertThat(client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                .isEqualTo("partial");
    }

    @Test
    void sendRawWritesBytesUnframed() throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            byte[] own =
                    "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-Own: yes\r\n\r\nraw".getBytes(StandardCharsets.US_ASCII);
            assertThat(resp.sendRaw(own, 0, own.length)).isEqualTo(own.length);
        });
        RawClient client = fixture.connect();

        RawClient.Response response = client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.headers()).containsOnlyKeys("content-length", "x-own");
        assertThat(response.bodyText()).isEqualTo("raw");
        assertThat(client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                .isEqualTo("raw");
    }

    @ParameterizedTest
    @EnumSource(HttpError.class)
    void sendErrorUsesEspStatusAndDefaultText(HttpError error) throws Exception {
        RawClient.Response response =
                get((req, resp) -> resp.contentType("application/json").sendError(error, null));

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 " + error.status() + " " + error.reason());
        assertThat(response.header("Content-Type")).isEqualTo("text/html");
        assertThat(response.bodyText()).isEqualTo(error.defaultMessage());
    }

    @Test
    void espDefaultTextsAreKept() {
        assertThat(HttpError.NOT_FOUND_404.defaultMessage()).isEqualTo("Nothing matches the given URI");
        assertThat(HttpError.BAD_REQUEST_400.defaultMessage()).isEqualTo("Bad request syntax");
        assertThat(HttpError.REQUEST_TIMEOUT_408.defaultMessage()).isEqualTo("Server closed this connection");
        assertThat(HttpError.INTERNAL_SERVER_ERROR_500.defaultMessage())
                .isEqualTo("Server has encountered an unexpected error");
        assertThat(HttpError.METHOD_NOT_IMPLEMENTED_501.statusLine()).isEqualTo("501 Method Not Implemented");
        assertThat(HttpError.VERSION_NOT_SUPPORTED_505.statusLine()).isEqualTo("505 Version Not Supported");
    }

    @Test
    void sendErrorAndCustomErrorTakeAMessage() throws Exception {
        fixture.start();
        fixture.handle("/err", HttpMethod.GET, (req, resp) -> resp.sendError(HttpError.FORBIDDEN_403, "go away"));
        fixture.handle("/tea", HttpMethod.GET, (req, resp) -> resp.sendCustomError("418 I'm a teapot", "short"));
        RawClient client = fixture.connect();

        RawClient.Response forbidden = client.exchange("GET /err HTTP/1.1\r\nHost: x\r\n\r\n");
        RawClient.Response teapot = client.exchange("GET /tea HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(forbidden.statusLine()).isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(forbidden.bodyText()).isEqualTo("go away");
        assertThat(teapot.statusLine()).isEqualTo("HTTP/1.1 418 I'm a teapot");
        assertThat(teapot.bodyText()).isEqualTo("short");
    }

    @Test
    void crOrLfInAHeaderIsRefusedAndNeverWritten() throws Exception {
        RawClient.Response response = get((req, resp) -> {
            List<Runnable> attempts = List.of(
                    () -> resp.header("X-Bad", "v\r\nInjected: 1"),
                    () -> resp.header("X-Bad", "v\nInjected: 2"),
                    () -> resp.header("X-Bad\r\nInjected", "3"),
                    () -> resp.header("X Bad", "4"),
                    () -> resp.contentType("text/plain\r\nInjected: 5"));
            for (Runnable attempt : attempts) {
                try {
                    attempt.run();
                } catch (IllegalArgumentException e) {
                    refused.add(e);
                }
            }
            resp.header("X-Good", "fine").send("body");
        });

        assertThat(refused).hasSize(5);
        assertThat(response.headers()).doesNotContainKeys("injected", "x-bad", "x bad");
        assertThat(response.header("X-Good")).isEqualTo("fine");
        assertThat(response.header("Content-Type")).isEqualTo("text/html");
    }

    @Test
    void theOutputStreamWritesAChunkedBody() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            try (OutputStream out = resp.contentType("text/plain").outputStream()) {
                for (int i = 0; i < 5000; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        });
        fixture.handle(
                "/unclosed", HttpMethod.GET, (req, resp) -> resp.outputStream().write('z'));

        var client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var response = client.send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                        .build(),
                BodyHandlers.ofString());

        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(response.body().lines()).hasSize(5000).endsWith("line 4999");
        assertThat(fixture.connect()
                        .exchange("GET /unclosed HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodyText())
                .isEqualTo("z");
    }

    @Test
    void largeBodiesAndChunksArriveWhole() throws Exception {
        HttpServer server = fixture.start();
        byte[] big = new byte[3 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        fixture.handle("/fixed", HttpMethod.GET, (req, resp) -> resp.send(big));
        fixture.handle("/chunked", HttpMethod.GET, (req, resp) -> {
            resp.sendChunk(big, 0, 100_000);
            resp.sendChunk(big, 100_000, big.length - 100_000);
        });
        var client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        for (String path : List.of("/fixed", "/chunked")) {
            var response = client.send(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                            .build(),
                    BodyHandlers.ofByteArray());
            assertThat(response.body()).as(path).isEqualTo(big);
        }
    }

    @Test
    void aHandlerThatSendsNothingGetsAnEmpty200() throws Exception {
        RawClient.Response response = get((req, resp) -> {});

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(response.header("Content-Length")).isEqualTo("0");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aNoContentResponseHasNoBodyFraming() throws Exception {
        RawClient.Response response = get((req, resp) -> resp.status(204).send((String) null));

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 204 No Content");
        assertThat(response.headers()).doesNotContainKeys("content-length", "transfer-encoding", "content-type");
    }

    @Test
    void sendingTwiceIsRefused() throws Exception {
        RawClient.Response response = get((req, resp) -> {
            resp.send("first");
            assertThat(resp.isCommitted()).isTrue();
            assertThatThrownBy(() -> resp.send("second")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> resp.header("X-Late", "1")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> resp.sendChunk("more")).isInstanceOf(IllegalStateException.class);
        });

        assertThat(response.bodyText()).isEqualTo("first");
    }

    @Test
    void http10ClientsGetACloseDelimitedBodyForChunkedResponses() throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            resp.sendChunk("part one, ");
            resp.sendChunk("part two");
            resp.sendChunk("");
        });
        RawClient client = fixture.connect();

        client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        String raw = client.readToEnd();

        String[] parts = raw.split("\r\n\r\n", 2);
        assertThat(parts[0])
                .startsWith("HTTP/1.1 200 OK")
                .contains("Connection: close")
                .doesNotContain("Transfer-Encoding")
                .doesNotContain("Content-Length");
        assertThat(parts[1]).isEqualTo("part one, part two");
    }

    @Test
    void http10KeepAliveIsHonouredForFixedResponses() throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.send(req.protocol()));
        RawClient client = fixture.connect();

        RawClient.Response first = client.exchange("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        RawClient.Response second = client.exchange("GET / HTTP/1.0\r\n\r\n");

        assertThat(first.header("Connection")).isEqualTo("keep-alive");
        assertThat(first.bodyText()).isEqualTo("HTTP/1.0");
        assertThat(second.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).isTrue();
    }
}
