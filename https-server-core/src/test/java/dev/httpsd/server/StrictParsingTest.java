package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed or oversized requests are answered with the right status, then the connection closes. */
class StrictParsingTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    @BeforeEach
    void startServer() throws Exception {
        fixture.start(b -> b.maxUriLen(100)
                .maxReqHdrLen(256)
                .maxHeaderCount(5)
                .maxContentLength(1000)
                .uriMatcher(UriMatcher.wildcard()));
        fixture.handle(
                "/*",
                HttpMethod.ANY,
                (req, resp) -> resp.send("read " + req.body().readAllBytes().length));
    }

    private RawClient.Response refused(String request, int status) throws Exception {
        RawClient client = fixture.connect();
        client.send(request);
        RawClient.Response response = client.read();
        assertThat(response.status()).as(response.statusLine()).isEqualTo(status);
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(client.closedByServer()).as("closed after " + status).isTrue();
        return response;
    }

    static Stream<Arguments> badHeads() {
        return Stream.of(
                bad("Content-Length with Transfer-Encoding", 400, """
                        POST / HTTP/1.1\r
                        Host: x\r
                        Content-Length: 3\r
                        Transfer-Encoding: chunked\r
                        \r
                        """),
                bad(
                        "duplicate Content-Length",
                        400,
                        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
                bad("Content-Length list", 400, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc"),
                bad("negative Content-Length", 400, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
                bad("signed Content-Length", 400, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc"),
                bad("hex Content-Length", 400, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\nabc"),
                bad("empty Content-Length", 400, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n"),
                bad("bare CR in a header", 400, "GET / HTTP/1.1\r\nHost: x\rX-Y: z\r\n\r\n"),
                bad("bare CR in the request line", 400, "GET /\r HTTP/1.1\r\nHost: x\r\n\r\n"),
                bad("bare LF line ends", 400, "GET / HTTP/1.1\nHost: x\n\n"),
                bad("bare LF after a header", 400, "GET / HTTP/1.1\r\nHost: x\nX-Y: z\r\n\r\n"),
                bad("obs-fold", 400, "GET / HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n  continued\r\n\r\n"),
                bad("whitespace before a colon", 400, "GET / HTTP/1.1\r\nHost : x\r\n\r\n"),
                bad("a header without a colon", 400, "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"),
                bad("a NUL in a header value", 400, "GET / HTTP/1.1\r\nHost: x\r\nX-Nul: a\0b\r\n\r\n"),
                bad("missing Host in HTTP/1.1", 400, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
                bad("two Host headers", 400, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                bad("a relative target", 400, "GET index.html HTTP/1.1\r\nHost: x\r\n\r\n"),
                bad("a fragment in the target", 400, "GET /a#frag HTTP/1.1\r\nHost: x\r\n\r\n"),
                bad("lowercase protocol", 400, "GET / http/1.1\r\nHost: x\r\n\r\n"),
                bad("a space in the target", 400, "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"),
                bad("garbage", 400, "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\r\n\r\n"),
                bad(
                        "a coding that is not chunked last",
                        400,
                        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
                bad(
                        "Transfer-Encoding in HTTP/1.0",
                        400,
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                bad(
                        "an unknown transfer coding",
                        501,
                        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
                bad("an unknown method", 501, "BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n"),
                bad("HTTP/2.0", 505, "GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
                bad("HTTP/1.2", 505, "GET / HTTP/1.2\r\nHost: x\r\n\r\n"),
                bad(
                        "an unsupported expectation",
                        417,
                        "POST / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 1\r\n\r\nx"),
                bad("a long URI", 414, "GET /" + "u".repeat(150) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                bad("a URI without end", 414, "GET /" + "u".repeat(5000)),
                bad("a large header block", 431, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(300) + "\r\n\r\n"),
                bad(
                        "many small headers over the byte limit",
                        431,
                        "GET / HTTP/1.1\r\nHost: x\r\n" + "X-A: 0123456789012345678901234567890123456789\r\n".repeat(4)
                                + "X-B: 0123456789012345678901234567890123456789\r\n\r\n"),
                bad(
                        "too many headers",
                        431,
                        "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n"),
                bad(
                        "a Content-Length over maxContentLength",
                        413,
                        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n"));
    }

    private static Arguments bad(String name, int status, String request) {
        return Arguments.of(name, status, request);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badHeads")
    void aMalformedOrOversizedHeadIsRefusedAndTheConnectionClosed(String name, int status, String request)
            throws Exception {
        refused(request, status);
    }

    @ParameterizedTest(name = "chunk size line ''{0}''")
    @ValueSource(strings = {"zz", "-1", "", " 5", "1 2", "0x5", "10000000000000000", "5;bad\u0001ext"})
    void anInvalidChunkSizeIsRefusedWhenTheBodyIsRead(String sizeLine) throws Exception {
        RawClient.Response response = refused(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + sizeLine
                        + "\r\nhello\r\n0\r\n\r\n",
                400);

        assertThat(response.bodyText()).isEqualTo("Bad request syntax");
    }

    @Test
    void chunkDataNotFollowedByCrlfIsRefused() throws Exception {
        refused("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n", 400);
    }

    @Test
    void aChunkedBodyOverMaxContentLengthIs413() throws Exception {
        String chunk = "1f4\r\n" + "c".repeat(500) + "\r\n";

        refused(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk.repeat(3) + "0\r\n\r\n",
                413);
    }

    @Test
    void theLimitsThemselvesAreAccepted() throws Exception {
        RawClient client = fixture.connect();
        String uri = "/" + "u".repeat(99);
        String fourHeaders = "A: 1\r\nB: 2\r\nC: 3\r\n";

        assertThat(client.exchange("GET " + uri + " HTTP/1.1\r\nHost: x\r\n" + fourHeaders + "\r\n")
                        .status())
                .isEqualTo(200);
        assertThat(client.exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "c".repeat(1000))
                        .bodyText())
                .isEqualTo("read 1000");
        assertThat(client.exchange("GET / HTTP/1.0\r\n\r\n").status())
                .as("HTTP/1.0 needs no Host")
                .isEqualTo(200);
    }
}
