package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The headers that frame a response or manage its connection appear exactly once on the wire,
 * whatever a handler sets: two Content-Length headers, or a Connection header contradicting the
 * server's, make a response that clients and proxies read differently (RFC 9112 §6.3).
 */
class ServerOwnedHeadersTest {

    /** The {@code send-and-certificates} table: cases run and passed per suite. */
    @RegisterExtension
    static final SuiteRecord RECORD = new SuiteRecord("send-and-certificates");

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final List<Throwable> refused = new CopyOnWriteArrayList<>();

    /** Sends one request and reads the raw response until the server closes the connection. */
    private String exchangeToEnd(String request, RequestHandler handler) throws Exception {
        fixture.start();
        fixture.handle("/", HttpMethod.GET, handler);
        RawClient client = fixture.connect();
        client.send(request);
        return client.readToEnd();
    }

    private static List<String> headLines(String raw) {
        return Arrays.asList(raw.split("\r\n\r\n", 2)[0].split("\r\n"));
    }

    private static List<String> values(String raw, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return headLines(raw).stream()
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                .map(line -> line.substring(prefix.length()).strip())
                .toList();
    }

    private static String body(String raw) {
        return raw.split("\r\n\r\n", 2)[1];
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "Content-Length, fixed",
        "content-length, chunked",
        "Transfer-Encoding, fixed",
        "TRANSFER-ENCODING, chunked"
    })
    void aFramingHeaderFromAHandlerIsRefusedAndTheServerFramesTheBodyAlone(String name, String framing)
            throws Exception {
        String raw = exchangeToEnd("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", (req, resp) -> {
            try {
                resp.header(name, name.toLowerCase(Locale.ROOT).startsWith("content") ? "5" : "chunked");
            } catch (IllegalArgumentException e) {
                refused.add(e);
            }
            if (framing.equals("fixed")) {
                resp.send("hello");
            } else {
                resp.sendChunk("hello");
                resp.sendChunk("");
            }
        });

        assertThat(refused)
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(name, "send(body)", "sendChunk()"));
        if (framing.equals("fixed")) {
            assertThat(values(raw, "Content-Length")).containsExactly("5");
            assertThat(values(raw, "Transfer-Encoding")).isEmpty();
            assertThat(body(raw)).isEqualTo("hello");
        } else {
            assertThat(values(raw, "Transfer-Encoding")).containsExactly("chunked");
            assertThat(values(raw, "Content-Length")).isEmpty();
            assertThat(body(raw)).isEqualTo("5\r\nhello\r\n0\r\n\r\n");
        }
    }

    @Test
    void aRefusedFramingHeaderDoesNotCountAgainstMaxRespHeaders() throws Exception {
        fixture.start(b -> b.maxRespHeaders(1));
        fixture.handle("/", HttpMethod.GET, (req, resp) -> {
            try {
                resp.header("Content-Length", "1");
            } catch (IllegalArgumentException e) {
                refused.add(e);
            }
            resp.header("X-Only", "1").send("b");
        });

        RawClient.Response response = fixture.connect().exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(refused).hasSize(1);
        assertThat(response.header("X-Only")).isEqualTo("1");
        assertThat(response.header("Content-Length")).isEqualTo("1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close", "Close", "keep-alive, close", " CLOSE "})
    void connectionCloseFromAHandlerClosesTheSessionWithOneConnectionHeader(String value) throws Exception {
        HttpServer server = fixture.start();
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.header("Connection", value).send("bye"));
        RawClient client = fixture.connect();

        // the client asks for nothing: the close is the handler's
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        String raw = client.readToEnd();

        assertThat(values(raw, "Connection")).containsExactly("close");
        assertThat(body(raw)).isEqualTo("bye");
        Await.until("the session closed", () -> server.openSessions() == 0);
    }

    @Test
    void connectionCloseFromAHandlerOfAnHttp10KeepAliveRequestReplacesTheServersKeepAlive() throws Exception {
        String raw = exchangeToEnd(
                "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                (req, resp) -> resp.header("Connection", "close").send("bye"));

        assertThat(values(raw, "Connection")).containsExactly("close");
        assertThat(body(raw)).isEqualTo("bye");
    }

    @Test
    void keepAliveFromAHandlerCannotKeepAConnectionTheClientCloses() throws Exception {
        String raw = exchangeToEnd(
                "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                (req, resp) -> resp.header("Connection", "keep-alive").send("k"));

        assertThat(values(raw, "Connection")).containsExactly("close");
    }

    @Test
    void keepAliveFromAHandlerOnAPersistentConnectionWritesNoSecondHeader() throws Exception {
        fixture.start();
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.header("Connection", "keep-alive").send(req.protocol()));
        RawClient client = fixture.connect();

        RawClient.Response eleven = client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        RawClient.Response ten = client.exchange("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        RawClient.Response last = client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        // RawClient joins repeated headers with ", ": one value means one header
        assertThat(eleven.headers()).doesNotContainKey("connection");
        assertThat(ten.header("Connection")).isEqualTo("keep-alive");
        assertThat(last.bodyText()).isEqualTo("HTTP/1.1");
    }

    @Test
    void otherConnectionTokensJoinTheServersConnectionHeader() throws Exception {
        String raw = exchangeToEnd(
                "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                (req, resp) -> resp.header("Connection", "X-Trace-Hop, close")
                        .header("X-Trace-Hop", "1")
                        .send("t"));

        assertThat(values(raw, "Connection")).containsExactly("close, X-Trace-Hop");
        assertThat(values(raw, "X-Trace-Hop")).containsExactly("1");
    }

    @Test
    void aDateFromTheHandlerReplacesTheServersDate() throws Exception {
        String date = "Sun, 06 Nov 1994 08:49:37 GMT";
        String raw = exchangeToEnd(
                "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                (req, resp) -> resp.header("date", "Mon, 01 Jan 1990 00:00:00 GMT")
                        .header("Date", date)
                        .send("d"));

        assertThat(values(raw, "Date")).containsExactly(date);
    }

    @Test
    void aContentTypeHeaderReplacesTheContentType() throws Exception {
        String raw = exchangeToEnd(
                "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                (req, resp) -> resp.header("Content-Type", "application/json").send("{}"));

        assertThat(values(raw, "Content-Type")).containsExactly("application/json");
    }
}
