package dev.httpsd.server.http2;

import static dev.httpsd.server.http2.Hpack.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request and trailer validation (RFC 9113 §8.1, §8.2, §8.3, §8.5) from header blocks: each case
 * is HPACK-encoded, decoded, and validated, and a malformed one is a stream error PROTOCOL_ERROR.
 * The h2spec cases (http2/8.1.2.x are RFC 7540 numbers, §8.2 and §8.3 in RFC 9113) are named in
 * each case.
 */
class RequestFieldsTest {

    static final String[] GET = {":method", "GET", ":scheme", "https", ":authority", "example.com", ":path", "/"};

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                malformed(
                        "8.1.2/1 uppercase field name",
                        "invalid field name X-Upper",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "X-Upper",
                        "1"),
                malformed(
                        "8.1.2.1/1 unknown pseudo-header",
                        ":foo is not a request pseudo-header",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        ":foo",
                        "1"),
                malformed(
                        "8.1.2.1/2 response pseudo-header in a request",
                        ":status is not a request pseudo-header",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        ":status",
                        "200"),
                malformed(
                        "extended CONNECT's :protocol, which we do not offer",
                        ":protocol is not",
                        ":method",
                        "CONNECT",
                        ":protocol",
                        "websocket",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/chat"),
                malformed(
                        "8.1.2.1/4 pseudo-header after a regular field",
                        ":path after a regular field",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        "x-a",
                        "1",
                        ":path",
                        "/"),
                malformed(
                        "8.1.2.2/1 connection-specific field",
                        "connection-specific field connection",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "connection",
                        "keep-alive"),
                malformed(
                        "8.2.2 keep-alive",
                        "connection-specific field keep-alive",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "keep-alive",
                        "5"),
                malformed(
                        "8.2.2 proxy-connection",
                        "connection-specific field proxy-connection",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "proxy-connection",
                        "x"),
                malformed(
                        "8.2.2 transfer-encoding",
                        "connection-specific field transfer-encoding",
                        ":method",
                        "POST",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "transfer-encoding",
                        "chunked"),
                malformed(
                        "8.2.2 upgrade",
                        "connection-specific field upgrade",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "upgrade",
                        "h2c"),
                malformed(
                        "8.1.2.2/2 te other than trailers",
                        "te other than trailers",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "te",
                        "trailers, deflate"),
                malformed(
                        "8.1.2.3/1 empty :path",
                        "empty :path",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        ""),
                malformed(
                        "8.1.2.3/2 missing :method",
                        "missing :method",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/"),
                malformed(
                        "8.1.2.3/3 missing :scheme",
                        "missing :scheme",
                        ":method",
                        "GET",
                        ":authority",
                        "a",
                        ":path",
                        "/"),
                malformed(
                        "8.1.2.3/4 missing :path",
                        "missing :path",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a"),
                malformed(
                        "8.1.2.3/5 duplicate :method",
                        "duplicate :method",
                        ":method",
                        "GET",
                        ":method",
                        "POST",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/"),
                malformed(
                        "8.1.2.3/6 duplicate :scheme",
                        "duplicate :scheme",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":scheme",
                        "http",
                        ":authority",
                        "a",
                        ":path",
                        "/"),
                malformed(
                        "8.1.2.3/7 duplicate :path",
                        "duplicate :path",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        ":path",
                        "/"),
                malformed(
                        "8.3.1 * without OPTIONS",
                        "invalid :path *",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "*"),
                malformed(
                        "8.3.1 path not in origin form",
                        "invalid :path http://a/",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "http://a/"),
                malformed(
                        "8.3.1 path with a space",
                        "invalid :path",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/a b"),
                malformed(
                        "8.3.1 userinfo in :authority",
                        "invalid :authority",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "user@a",
                        ":path",
                        "/"),
                malformed(
                        "8.3.1 host differing from :authority",
                        "host b differs from :authority a",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "host",
                        "b"),
                malformed(
                        "two host fields",
                        "more than one host field",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":path",
                        "/",
                        "host",
                        "a",
                        "host",
                        "a"),
                malformed(
                        "no authority at all",
                        "neither :authority nor host",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":path",
                        "/"),
                malformed(
                        "invalid :method",
                        "invalid :method",
                        ":method",
                        "GE T",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/"),
                malformed(
                        "invalid :scheme",
                        "invalid :scheme",
                        ":method",
                        "GET",
                        ":scheme",
                        "1https",
                        ":authority",
                        "a",
                        ":path",
                        "/"),
                malformed(
                        "8.5 CONNECT with :path",
                        "CONNECT with :scheme or :path",
                        ":method",
                        "CONNECT",
                        ":authority",
                        "a:443",
                        ":path",
                        "/"),
                malformed(
                        "8.5 CONNECT without :authority",
                        "CONNECT without :authority",
                        ":method",
                        "CONNECT",
                        "host",
                        "a:443"),
                malformed(
                        "8.2.1 NUL in a value",
                        "invalid value of field x-a",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "x-a",
                        "a\0b"),
                malformed(
                        "8.2.1 CR in a value",
                        "invalid value of field x-a",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "x-a",
                        "a\rb"),
                malformed(
                        "8.2.1 LF in a value",
                        "invalid value of field x-a",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "x-a",
                        "a\nb"),
                malformed(
                        "8.2.1 leading whitespace in a value",
                        "invalid value of field x-a",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "x-a",
                        " a"),
                malformed(
                        "8.2.1 trailing tab in a value",
                        "invalid value of field x-a",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "x-a",
                        "a\t"),
                malformed(
                        "8.2.1 colon in a field name",
                        "invalid field name x:a",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "x:a",
                        "1"),
                malformed(
                        "8.2.1 space in a field name",
                        "invalid field name x a",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "x a",
                        "1"),
                malformed(
                        "empty field name",
                        "empty field name",
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "",
                        "1"),
                malformed(
                        "8.1.1 content-length not a number",
                        "invalid content-length",
                        ":method",
                        "POST",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "content-length",
                        "-1"),
                malformed(
                        "8.1.1 two content-lengths",
                        "more than one content-length",
                        ":method",
                        "POST",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "/",
                        "content-length",
                        "1",
                        "content-length",
                        "1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void aMalformedRequestIsAStreamProtocolError(String rule, String message, String[] nameValues) throws Exception {
        RequestFields fields = decode(RequestFields.request(7), nameValues);
        assertThatThrownBy(fields::request)
                .isInstanceOfSatisfying(Http2StreamException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
                    assertThat(e.streamId()).isEqualTo(7);
                })
                .hasMessageStartingWith("malformed request: ")
                .hasMessageContaining(message);
    }

    @Test
    void aValidRequestKeepsItsFieldsInOrderAndJoinsCookieCrumbs() throws Exception {
        Http2RequestHead head = decode(
                        RequestFields.request(1),
                        ":method",
                        "POST",
                        ":scheme",
                        "https",
                        ":authority",
                        "example.com:8443",
                        ":path",
                        "/a?b=c",
                        "cookie",
                        "a=1",
                        "content-type",
                        "text/plain",
                        "cookie",
                        "b=2",
                        "content-length",
                        "12",
                        "te",
                        "trailers",
                        "x-empty",
                        "")
                .request();
        assertThat(head.method()).isEqualTo("POST");
        assertThat(head.scheme()).isEqualTo("https");
        assertThat(head.authority()).isEqualTo("example.com:8443");
        assertThat(head.path()).isEqualTo("/a?b=c");
        assertThat(head.contentLength()).isEqualTo(12);
        assertThat(head.fields())
                .isEqualTo(fields(
                        "cookie",
                        "a=1; b=2",
                        "content-type",
                        "text/plain",
                        "content-length",
                        "12",
                        "te",
                        "trailers",
                        "x-empty",
                        ""));
        assertThat(head.first("content-type")).isEqualTo("text/plain");
        assertThat(head.first("accept")).isNull();
    }

    @Test
    void hostStandsInForAMissingAuthority() throws Exception {
        Http2RequestHead head = decode(
                        RequestFields.request(1),
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":path",
                        "/",
                        "host",
                        "example.com")
                .request();
        assertThat(head.authority()).isEqualTo("example.com");
        assertThat(head.contentLength()).isEqualTo(-1);
        Http2RequestHead both = decode(
                        RequestFields.request(1),
                        ":method",
                        "GET",
                        ":scheme",
                        "https",
                        ":authority",
                        "Example.com",
                        ":path",
                        "/",
                        "host",
                        "example.COM")
                .request();
        assertThat(both.authority()).isEqualTo("Example.com");
    }

    @Test
    void optionsMayAskForTheWholeServer() throws Exception {
        Http2RequestHead head = decode(
                        RequestFields.request(1),
                        ":method",
                        "OPTIONS",
                        ":scheme",
                        "https",
                        ":authority",
                        "a",
                        ":path",
                        "*")
                .request();
        assertThat(head.path()).isEqualTo("*");
    }

    @Test
    void connectNamesOnlyAnAuthority() throws Exception {
        Http2RequestHead head = decode(RequestFields.request(1), ":method", "CONNECT", ":authority", "a.example:443")
                .request();
        assertThat(head.scheme()).isNull();
        assertThat(head.path()).isNull();
        assertThat(head.authority()).isEqualTo("a.example:443");
    }

    @Test
    void theFirstProblemIsTheOneReported() {
        RequestFields fields =
                decode(RequestFields.request(1), ":method", "GET", "X-A", "1", ":path", "/", "connection", "close");
        assertThatThrownBy(fields::request).hasMessage("malformed request: invalid field name X-A");
    }

    @Test
    void connectionSpecificFieldsAreKnownForResponsesToo() {
        for (String name :
                new String[] {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"}) {
            assertThat(RequestFields.isConnectionSpecific(name)).as(name).isTrue();
        }
        assertThat(RequestFields.isConnectionSpecific("te")).isFalse();
        assertThat(RequestFields.isConnectionSpecific("content-type")).isFalse();
    }

    @Test
    void trailersCarryNoPseudoHeaders() throws Exception {
        // h2spec http2/8.1.2.1/3
        assertThatThrownBy(() -> decode(RequestFields.trailers(3), "x-checksum", "abc", ":path", "/")
                        .trailerFields())
                .isInstanceOfSatisfying(
                        Http2StreamException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
                .hasMessageContaining("pseudo-header field :path in trailers");
        assertThat(decode(RequestFields.trailers(3), "x-checksum", "abc").trailerFields())
                .isEqualTo(fields("x-checksum", "abc"));
        assertThatThrownBy(() -> decode(RequestFields.trailers(3), "transfer-encoding", "chunked")
                        .trailerFields())
                .hasMessageContaining("connection-specific field transfer-encoding");
    }

    /** Encodes the fields as a peer would (names as given, no case folding) and decodes them into {@code into}. */
    static RequestFields decode(RequestFields into, String... namesAndValues) {
        HpackEncoder encoder = new HpackEncoder(4096, true);
        OutputBuffer out = new OutputBuffer(128);
        encoder.beginBlock(out);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            encoder.encode(out, namesAndValues[i], namesAndValues[i + 1], HpackEncoder.Indexing.INCREMENTAL);
        }
        try {
            new HpackDecoder(4096, 65_536, 65_536).decode(out.array(), 0, out.length(), into);
        } catch (HpackException | HeaderListSizeException e) {
            throw new AssertionError(e);
        }
        return into;
    }

    private static Arguments malformed(String rule, String message, String... nameValues) {
        return Arguments.of(rule, message, nameValues);
    }
}
