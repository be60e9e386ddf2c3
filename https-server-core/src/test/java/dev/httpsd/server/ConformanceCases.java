package dev.httpsd.server;

import static dev.httpsd.server.ConformanceCase.ok;
import static dev.httpsd.server.ConformanceCase.refused;
import static dev.httpsd.server.ConformanceCase.refusedInBody;
import static dev.httpsd.server.ConformanceCase.silent;

import java.util.ArrayList;
import java.util.List;

/**
 * The conformance suite's case table (RFC 9112 / RFC 9110), one family per method. Where the RFC
 * leaves the recipient a choice, the server takes the strict one; the comment next to the case
 * says which choice and why.
 *
 * <p>The server under test runs with the limits below and one catch-all handler that reads the
 * whole body and answers {@code METHOD path[?query] host=HOST body=BODY} (see {@link
 * ConformanceTest}); paths under {@code /ignore} answer without reading the body.
 */
final class ConformanceCases {

    static final int MAX_URI_LEN = 100;
    static final int MAX_REQ_HDR_LEN = 400;
    static final int MAX_HEADER_COUNT = 10;
    static final int MAX_CONTENT_LENGTH = 1000;

    private ConformanceCases() {}

    static List<ConformanceCase> all() {
        List<ConformanceCase> all = new ArrayList<>();
        all.addAll(contentLength());
        all.addAll(transferEncoding());
        all.addAll(chunkedFraming());
        all.addAll(lineEndings());
        all.addAll(whitespaceAndFields());
        all.addAll(methodsAndVersions());
        all.addAll(targetsAndHost());
        all.addAll(sizeLimits());
        all.addAll(keepAlive());
        all.addAll(pipelining());
        all.addAll(expectations());
        all.addAll(halfClose());
        return all;
    }

    static List<ConformanceCase> contentLength() {
        String f = "Content-Length";
        return List.of(
                refused(f, "Content-Length then Transfer-Encoding", 400, """
                        POST /s HTTP/1.1\r
                        Host: x\r
                        Content-Length: 5\r
                        Transfer-Encoding: chunked\r
                        \r
                        0\r
                        \r
                        """),
                refused(f, "Transfer-Encoding then Content-Length", 400, """
                        POST /s HTTP/1.1\r
                        Host: x\r
                        Transfer-Encoding: chunked\r
                        Content-Length: 5\r
                        \r
                        0\r
                        \r
                        """),
                // RFC 9112 §6.3 lets a recipient accept repeated identical values as one; strict:
                // any second Content-Length is refused, so no two parsers can disagree on it
                refused(
                        f,
                        "two equal Content-Length fields",
                        400,
                        "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
                refused(
                        f,
                        "two different Content-Length fields",
                        400,
                        "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
                // the same choice for a list of equal values in one field
                refused(
                        f,
                        "a list of equal values",
                        400,
                        "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc"),
                refused(
                        f,
                        "a list of different values",
                        400,
                        "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 3,4\r\n\r\nabcd"),
                refused(f, "a plus sign", 400, "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc"),
                refused(f, "a minus sign", 400, "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\nabc"),
                refused(f, "hexadecimal", 400, "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\nabc"),
                refused(f, "an empty value", 400, "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n"),
                refused(
                        f,
                        "whitespace inside",
                        400,
                        "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 1 0\r\n\r\n0123456789"),
                refused(f, "a decimal point", 400, "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 3.0\r\n\r\nabc"),
                // 20 digits cannot be represented: malformed (400), not merely too large (413)
                refused(
                        f,
                        "an overflowing value",
                        400,
                        "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"),
                // 18 digits still fit in a long: a well-formed length over the limit
                refused(
                        f,
                        "18 digits, over the limit",
                        413,
                        "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999999999\r\n\r\n"),
                // Content-Length = 1*DIGIT, so leading zeros are valid and the value is decimal: 010
                // is ten, never eight (a C strtol with base 0 would read octal)
                ok(
                                f,
                                "leading zeros are decimal",
                                "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 010\r\n\r\n0123456789")
                        .bodies("POST /s host=x body=0123456789"),
                // OWS around a field value is not part of it (RFC 9110 §5.5)
                ok(f, "whitespace around the value", "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: \t3 \r\n\r\nabc")
                        .bodies("POST /s host=x body=abc"),
                ok(f, "a GET with a body", "GET /s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
                        .bodies("GET /s host=x body=hello"),
                ok(f, "zero", "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                        .bodies("POST /s host=x body="));
    }

    static List<ConformanceCase> transferEncoding() {
        String f = "Transfer-Encoding";
        String body = "\r\n5\r\nhello\r\n0\r\n\r\n";
        return List.of(
                // OWS around the value is not part of it (RFC 9110 §5.5): these are plain "chunked"
                ok(
                                f,
                                "chunked with a trailing space",
                                "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked \r\n" + body)
                        .bodies("POST /t host=x body=hello"),
                ok(f, "chunked after a tab", "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\tchunked\r\n" + body)
                        .bodies("POST /t host=x body=hello"),
                // transfer-coding names are case-insensitive (RFC 9112 §7)
                ok(f, "Chunked", "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n" + body)
                        .bodies("POST /t host=x body=hello"),
                // chunked must not be applied twice (RFC 9112 §7.1)
                refused(
                        f,
                        "chunked, chunked",
                        400,
                        "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n" + body),
                refused(
                        f,
                        "two chunked fields",
                        400,
                        "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"
                                + body),
                // chunked not last: the length cannot be determined, 400 and close (RFC 9112 §6.3)
                refused(f, "identity", 400, "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n" + body),
                refused(f, "x-chunked", 400, "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: x-chunked\r\n" + body),
                refused(
                        f,
                        "chunked, gzip",
                        400,
                        "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n" + body),
                refused(f, "an empty value", 400, "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n" + body),
                refused(
                        f,
                        "chunked with a parameter",
                        400,
                        "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;q=1\r\n" + body),
                // empty list elements are ignored (RFC 9110 §5.6.1.2 makes that a MUST for recipients)
                ok(f, "an empty list element", "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: , chunked\r\n" + body)
                        .bodies("POST /t host=x body=hello"),
                ok(
                                f,
                                "a trailing empty list element",
                                "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked ,\r\n" + body)
                        .bodies("POST /t host=x body=hello"),
                ok(
                                f,
                                "an empty field before chunked",
                                "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\nTransfer-Encoding: chunked\r\n"
                                        + body)
                        .bodies("POST /t host=x body=hello"),
                refused(
                        f,
                        "nothing but commas",
                        400,
                        "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: , ,\r\n" + body),
                refused(
                        f,
                        "chunked, empty, chunked",
                        400,
                        "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked,,chunked\r\n" + body),
                // a coding we do not implement before chunked: 501 (RFC 9112 §6.1)
                refused(
                        f,
                        "gzip, chunked",
                        501,
                        "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n" + body),
                refused(
                        f,
                        "gzip and chunked in two fields",
                        501,
                        "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"
                                + body),
                // an HTTP/1.0 message with Transfer-Encoding has faulty framing (RFC 9112 §6.1)
                refused(f, "in HTTP/1.0", 400, "POST /t HTTP/1.0\r\nTransfer-Encoding: chunked\r\n" + body),
                // a look-alike name is just another field: the request has no body, and the chunked
                // bytes after it are read as the next request, which is malformed
                ok(
                                f,
                                "Transfer_Encoding is not Transfer-Encoding",
                                "POST /t HTTP/1.1\r\nHost: x\r\nTransfer_Encoding: chunked\r\n" + body)
                        .answers(200, 400)
                        .thenCloses()
                        .bodies("POST /t host=x body="));
    }

    static List<ConformanceCase> chunkedFraming() {
        String f = "chunked framing";
        String head = "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        String hidden = "GET /hidden HTTP/1.1\r\nHost: x\r\n\r\n";
        return List.of(
                ok(f, "two chunks and the last chunk", head + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
                        .bodies("POST /c host=x body=hello world"),
                ok(f, "upper- and lowercase hex sizes", head + "A\r\n0123456789\r\nb\r\n0123456789a\r\n0\r\n\r\n")
                        .bodies("POST /c host=x body=01234567890123456789a"),
                ok(f, "leading zeros in a size", head + "0005\r\nhello\r\n000\r\n\r\n")
                        .bodies("POST /c host=x body=hello"),
                ok(f, "an empty body", head + "0\r\n\r\n").bodies("POST /c host=x body="),
                // more than 15 hex digits never fits a sane body: refused even with leading zeros
                refusedInBody(f, "a size of 18 hex digits", 400, head + "ffffffffffffffffff\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "16 digits with leading zeros", 400, head + "0000000000000005\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a plus sign", 400, head + "+5\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a minus sign", 400, head + "-5\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "0x", 400, head + "0x5\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a missing size", 400, head + "\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a space before the size", 400, head + " 5\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a space after the size without extension", 400, head + "5 \r\nhello\r\n0\r\n\r\n"),
                ok(f, "an extension without value", head + "5;ext\r\nhello\r\n0\r\n\r\n")
                        .bodies("POST /c host=x body=hello"),
                ok(f, "an extension with a token value", head + "5;ext=val\r\nhello\r\n0;last=yes\r\n\r\n")
                        .bodies("POST /c host=x body=hello"),
                ok(
                                f,
                                "an extension with a quoted value",
                                head + "5;ext=\"a; \\\"quoted\\\" value\"\r\nhello\r\n0\r\n\r\n")
                        .bodies("POST /c host=x body=hello"),
                // BWS is allowed around ";" and "=" (RFC 9112 §7.1.1)
                ok(f, "extensions with whitespace", head + "5 ; a = 1 ;\tb\r\nhello\r\n0\r\n\r\n")
                        .bodies("POST /c host=x body=hello"),
                refusedInBody(
                        f, "a control character in an extension", 400, head + "5;ext=\u0001\r\nhello\r\n0\r\n\r\n"),
                ok(f, "an empty quoted value", head + "5;a=\"\"\r\nhello\r\n0\r\n\r\n")
                        .bodies("POST /c host=x body=hello"),
                ok(f, "obs-text in a quoted value", head + "5;a=\"caf\u00e9\"\r\nhello\r\n0\r\n\r\n")
                        .bodies("POST /c host=x body=hello"),
                // chunk-ext = *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )
                // (RFC 9112 §7.1.1), with no whitespace before the CRLF: anything else is refused
                refusedInBody(f, "an extension without name", 400, head + "5;\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "an extension with only a value", 400, head + "5;=v\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "two semicolons", 400, head + "5;;a\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a space inside an extension name", 400, head + "5;a b\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a separator in an extension name", 400, head + "5;a/b=1\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a space inside an extension value", 400, head + "5;a=b c\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "an empty extension value", 400, head + "5;a=\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "whitespace after the last extension", 400, head + "5;a \r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "an unterminated quoted value", 400, head + "5;a=\"b\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "text after a quoted value", 400, head + "5;a=\"b\"c\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(
                        f, "a control character in a quoted value", 400, head + "5;a=\"\u0001\"\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(
                        f,
                        "a quoted-pair of a control character",
                        400,
                        head + "5;a=\"\\\u0001\"\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(
                        f,
                        "an extension longer than 4 KiB",
                        400,
                        head + "5;a=" + "v".repeat(4200) + "\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a bare LF in an extension", 400, head + "5;ext\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a bare LF after the size", 400, head + "5\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a bare CR after the size", 400, head + "5\rhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a bare LF after the data", 400, head + "5\r\nhello\n0\r\n\r\n"),
                refusedInBody(f, "a bare CR after the data", 400, head + "5\r\nhello\r0\r\n\r\n"),
                refusedInBody(f, "no CRLF after the data", 400, head + "5\r\nhello0\r\n\r\n"),
                refusedInBody(f, "more data than the size", 400, head + "3\r\nhello\r\n0\r\n\r\n"),
                refusedInBody(f, "a bare LF after the last chunk", 400, head + "0\n\r\n"),
                refusedInBody(f, "a bare LF ending the trailer section", 400, head + "0\r\n\n"),
                ok(f, "trailer fields", head + "5\r\nhello\r\n0\r\nX-Checksum: 1234\r\nX-Other: v\r\n\r\n")
                        .bodies("POST /c host=x body=hello"),
                refusedInBody(f, "a trailer line without colon", 400, head + "5\r\nhello\r\n0\r\nNo colon\r\n\r\n"),
                refusedInBody(
                        f,
                        "a trailer with whitespace before the colon",
                        400,
                        head + "5\r\nhello\r\n0\r\nX-T : v\r\n\r\n"),
                refusedInBody(f, "an obs-folded trailer", 400, head + "5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n"),
                refusedInBody(f, "a NUL in a trailer value", 400, head + "5\r\nhello\r\n0\r\nX-T: a\u0000b\r\n\r\n"),
                // a request hidden in a body stays body: one handler call, and it sees those bytes
                ok(
                                f,
                                "a request inside the chunk data",
                                head + Integer.toHexString(hidden.length()) + "\r\n" + hidden + "\r\n0\r\n\r\n")
                        .bodies("POST /c host=x body=" + hidden),
                ok(
                                f,
                                "a request inside a Content-Length body",
                                "POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: " + hidden.length() + "\r\n\r\n"
                                        + hidden)
                        .bodies("POST /c host=x body=" + hidden));
    }

    static List<ConformanceCase> lineEndings() {
        String f = "line endings";
        return List.of(
                // RFC 9112 §2.2 lets a recipient accept a bare LF as a line end; strict: refused
                refused(f, "bare LF everywhere", 400, "GET /l HTTP/1.1\nHost: x\n\n"),
                refused(f, "a bare LF after the request line", 400, "GET /l HTTP/1.1\nHost: x\r\n\r\n"),
                refused(f, "a bare LF after a field", 400, "GET /l HTTP/1.1\r\nHost: x\nX-A: b\r\n\r\n"),
                refused(f, "a bare LF as the empty line", 400, "GET /l HTTP/1.1\r\nHost: x\r\n\n"),
                // a bare CR must be refused or replaced by SP (RFC 9112 §2.2): refused
                refused(f, "a bare CR in the request line", 400, "GET /l\r HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a bare CR as a line end", 400, "GET /l HTTP/1.1\rHost: x\r\n\r\n"),
                refused(f, "a bare CR in a field value", 400, "GET /l HTTP/1.1\r\nHost: x\r\nX-A: b\rc\r\n\r\n"),
                refused(f, "CR CR LF", 400, "GET /l HTTP/1.1\r\r\nHost: x\r\n\r\n"),
                // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request
                // line; we ignore any number of CRLFs, counted against maxReqHdrLen
                ok(f, "one empty line before the request", "\r\nGET /l HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET /l host=x body="),
                ok(
                        f,
                        "many empty lines before the request",
                        "\r\n".repeat(MAX_REQ_HDR_LEN / 2) + "GET /l HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(
                        f,
                        "more empty lines than maxReqHdrLen",
                        400,
                        "\r\n".repeat(MAX_REQ_HDR_LEN / 2 + 1) + "GET /l HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a bare LF before the request", 400, "\nGET /l HTTP/1.1\r\nHost: x\r\n\r\n"),
                ok(
                                f,
                                "empty lines between pipelined requests",
                                "GET /a HTTP/1.1\r\nHost: x\r\n\r\n\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
                        .answers(200, 200)
                        .calls(2)
                        .bodies("GET /a host=x body=", "GET /b host=x body="));
    }

    static List<ConformanceCase> whitespaceAndFields() {
        String f = "whitespace and fields";
        return List.of(
                refused(f, "whitespace before the method", 400, " GET /w HTTP/1.1\r\nHost: x\r\n\r\n"),
                // RFC 9112 §3 lets a recipient split on any whitespace; strict: exactly one SP
                refused(f, "two spaces after the method", 400, "GET  /w HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "two spaces after the target", 400, "GET /w  HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "tabs as separators", 400, "GET\t/w\tHTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a space after the version", 400, "GET /w HTTP/1.1 \r\nHost: x\r\n\r\n"),
                refused(f, "a tab after the version", 400, "GET /w HTTP/1.1\t\r\nHost: x\r\n\r\n"),
                // no whitespace is allowed between field name and colon (RFC 9112 §5.1): MUST 400
                refused(f, "a space before a colon", 400, "GET /w HTTP/1.1\r\nHost : x\r\n\r\n"),
                refused(f, "a tab before a colon", 400, "GET /w HTTP/1.1\r\nHost\t: x\r\n\r\n"),
                // obs-fold may be refused with 400 (RFC 9112 §5.2): refused
                refused(f, "obs-fold with a space", 400, "GET /w HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"),
                refused(f, "obs-fold with a tab", 400, "GET /w HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n"),
                // whitespace between the start line and the first field: refuse (RFC 9112 §2.2)
                refused(f, "whitespace before the first field", 400, "GET /w HTTP/1.1\r\n Host: x\r\n\r\n"),
                refused(f, "an empty field name", 400, "GET /w HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n"),
                refused(f, "a field without colon", 400, "GET /w HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"),
                refused(f, "a control character in a name", 400, "GET /w HTTP/1.1\r\nHost: x\r\nX\u0001A: v\r\n\r\n"),
                refused(f, "DEL in a name", 400, "GET /w HTTP/1.1\r\nHost: x\r\nX\u007fA: v\r\n\r\n"),
                refused(f, "a separator in a name", 400, "GET /w HTTP/1.1\r\nHost: x\r\nX(A): v\r\n\r\n"),
                refused(f, "a high-bit byte in a name", 400, "GET /w HTTP/1.1\r\nHost: x\r\nX-Caf\u00e9: v\r\n\r\n"),
                refused(f, "NUL in a value", 400, "GET /w HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"),
                refused(
                        f,
                        "a control character in a value",
                        400,
                        "GET /w HTTP/1.1\r\nHost: x\r\nX-A: a\u001fb\r\n\r\n"),
                refused(f, "DEL in a value", 400, "GET /w HTTP/1.1\r\nHost: x\r\nX-A: a\u007fb\r\n\r\n"),
                ok(f, "a tab inside a value", "GET /w HTTP/1.1\r\nHost: x\r\nX-A: a\tb\r\n\r\n"),
                // obs-text is allowed in field values (RFC 9110 §5.5)
                ok(f, "high-bit bytes in a value", "GET /w HTTP/1.1\r\nHost: x\r\nX-A: caf\u00e9 \u0080\u00ff\r\n\r\n"),
                ok(f, "an empty value", "GET /w HTTP/1.1\r\nHost: x\r\nX-Empty:\r\nX-Blank:  \t \r\n\r\n"),
                ok(f, "colons in a value", "GET /w HTTP/1.1\r\nHost: x\r\nX-Time: 12:34:56\r\n\r\n"));
    }

    static List<ConformanceCase> methodsAndVersions() {
        String f = "methods and versions";
        return List.of(
                refused(f, "an unknown method", 501, "BREW /m HTTP/1.1\r\nHost: x\r\n\r\n"),
                // method names are case-sensitive (RFC 9110 §9.1): "get" is an unknown method
                refused(f, "a lowercase method", 501, "get /m HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a mixed-case method", 501, "Get /m HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a separator in the method", 400, "GE(T /m HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "an @ in the method", 400, "GET@ /m HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a high-bit byte in the method", 400, "G\u00c9T /m HTTP/1.1\r\nHost: x\r\n\r\n"),
                // longer than any method we implement: malformed (400) rather than unknown (501)
                refused(f, "a 33-character method", 400, "A".repeat(33) + " /m HTTP/1.1\r\nHost: x\r\n\r\n"),
                ok(f, "M-SEARCH", "M-SEARCH /m HTTP/1.1\r\nHost: x\r\n\r\n").bodies("M-SEARCH /m host=x body="),
                ok(f, "DELETE", "DELETE /m HTTP/1.1\r\nHost: x\r\n\r\n").bodies("DELETE /m host=x body="),
                ok(f, "HTTP/1.1", "GET /m HTTP/1.1\r\nHost: x\r\n\r\n").bodies("GET /m host=x body="),
                ok(f, "HTTP/1.0", "GET /m HTTP/1.0\r\n\r\n").thenCloses().bodies("GET /m host=- body="),
                // a well-formed version we do not speak: 505 (RFC 9110 §15.6.6)
                refused(f, "HTTP/1.2", 505, "GET /m HTTP/1.2\r\nHost: x\r\n\r\n"),
                refused(f, "HTTP/2.0", 505, "GET /m HTTP/2.0\r\nHost: x\r\n\r\n"),
                refused(f, "HTTP/3.0", 505, "GET /m HTTP/3.0\r\nHost: x\r\n\r\n"),
                refused(f, "HTTP/9.9", 505, "GET /m HTTP/9.9\r\nHost: x\r\n\r\n"),
                // not HTTP-version syntax (HTTP-name "/" DIGIT "." DIGIT): malformed, 400 not 505
                refused(f, "HTTP/3", 400, "GET /m HTTP/3\r\nHost: x\r\n\r\n"),
                refused(f, "HTTP/1", 400, "GET /m HTTP/1\r\nHost: x\r\n\r\n"),
                refused(f, "HTTP/1.1.1", 400, "GET /m HTTP/1.1.1\r\nHost: x\r\n\r\n"),
                refused(f, "HTTP/ 1.1", 400, "GET /m HTTP/ 1.1\r\nHost: x\r\n\r\n"),
                refused(f, "HTTP/1.01", 400, "GET /m HTTP/1.01\r\nHost: x\r\n\r\n"),
                refused(f, "HTTP/11", 400, "GET /m HTTP/11\r\nHost: x\r\n\r\n"),
                refused(f, "HTTP/1.x", 400, "GET /m HTTP/1.x\r\nHost: x\r\n\r\n"),
                // HTTP-name is case-sensitive (RFC 9112 §2.3)
                refused(f, "http/1.1", 400, "GET /m http/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "HTTPS/1.1", 400, "GET /m HTTPS/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "no version after the target", 400, "GET /m \r\nHost: x\r\n\r\n"),
                // HTTP/0.9 is not supported: a request line without version is malformed
                refused(f, "an HTTP/0.9 request", 400, "GET /m\r\n\r\n"));
    }

    static List<ConformanceCase> targetsAndHost() {
        String f = "targets and Host";
        return List.of(
                ok(f, "origin-form with a query", "GET /a/b?q=1&r=/s?t HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET /a/b?q=1&r=/s?t host=x body="),
                ok(f, "every pchar", "GET /az09-._~!$&'()*+,;=:@%2F?/? HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET /az09-._~!$&'()*+,;=:@%2F?/? host=x body="),
                // percent-encoding stays raw in path() and query (decoding is the handler's)
                ok(f, "percent-encoded octets stay raw", "GET /%41%2f%00?%7E HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET /%41%2f%00?%7E host=x body="),
                ok(f, "an empty path segment", "GET //a HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET //a host=x body="),
                // an invalid target may be answered 400 or redirected (RFC 9112 §3.2): 400, so a
                // malformed escape is never decoded one way here and another way elsewhere
                refused(f, "%zz", 400, "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "%0 at the end", 400, "GET /a%0 HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "% at the end", 400, "GET /a% HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "%0 before a slash", 400, "GET /a%0/b HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a malformed escape in the query", 400, "GET /a?q=%g1 HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a malformed escape in absolute-form", 400, "GET http://x/a%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
                // characters RFC 3986 has nowhere in a path or query: refused, not passed on raw
                refused(f, "a pipe", 400, "GET /a|b HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "braces", 400, "GET /{id} HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a double quote", 400, "GET /a\"b HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "angle brackets", 400, "GET /<a> HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a backslash", 400, "GET /a\\b HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a caret", 400, "GET /a^b HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a backtick", 400, "GET /a`b HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "square brackets in the path", 400, "GET /[a] HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "square brackets in the query", 400, "GET /a?b[]=1 HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a fragment in absolute-form", 400, "GET http://x/a#f HTTP/1.1\r\nHost: x\r\n\r\n"),
                ok(f, "absolute-form", "GET http://x/abs?q=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET /abs?q=1 host=x body="),
                ok(f, "absolute-form with https and uppercase scheme", "GET HTTPS://x/abs HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET /abs host=x body="),
                ok(f, "absolute-form without path", "GET http://x HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET / host=x body="),
                ok(f, "absolute-form with only a query", "GET http://x?q HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET /?q host=x body="),
                // RFC 9112 §3.2.2: an origin server ignores the Host field of an absolute-form
                // request and uses the target's authority; handlers see that authority as Host
                ok(f, "absolute-form with another Host", "GET http://a:81/p HTTP/1.1\r\nHost: b\r\n\r\n")
                        .bodies("GET /p host=a:81 body="),
                ok(f, "absolute-form with an empty Host", "GET http://a/p HTTP/1.1\r\nHost:\r\n\r\n")
                        .bodies("GET /p host=a body="),
                ok(f, "absolute-form in HTTP/1.0 without Host", "GET http://a/p HTTP/1.0\r\n\r\n")
                        .thenCloses()
                        .bodies("GET /p host=a body="),
                // an http URI with an empty host is invalid (RFC 9110 §4.2.1)
                refused(f, "absolute-form without host", 400, "GET http:///p HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "absolute-form with only a port", 400, "GET http://:80/p HTTP/1.1\r\nHost: x\r\n\r\n"),
                // userinfo in an http URI is treated as an error (RFC 9110 §4.2.4)
                refused(f, "absolute-form with userinfo", 400, "GET http://u:pw@a/p HTTP/1.1\r\nHost: a\r\n\r\n"),
                refused(f, "absolute-form with a bad port", 400, "GET http://a:x/p HTTP/1.1\r\nHost: a\r\n\r\n"),
                refused(
                        f,
                        "absolute-form with a bad escape in the host",
                        400,
                        "GET http://a%zz/p HTTP/1.1\r\nHost: a\r\n\r\n"),
                ok(f, "absolute-form with an IPv6 host", "GET http://[::1]:8080/p HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET /p host=[::1]:8080 body="),
                refused(f, "absolute-form with another scheme", 400, "GET ftp://x/abs HTTP/1.1\r\nHost: x\r\n\r\n"),
                // asterisk-form is for OPTIONS only (RFC 9112 §3.2.4)
                ok(f, "OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").bodies("OPTIONS * host=x body="),
                refused(f, "GET *", 400, "GET * HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "OPTIONS with *x", 400, "OPTIONS *x HTTP/1.1\r\nHost: x\r\n\r\n"),
                // authority-form is for CONNECT only (RFC 9112 §3.2.3)
                ok(f, "CONNECT host:port", "CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n")
                        .bodies("CONNECT x:443 host=x:443 body="),
                ok(f, "CONNECT to an IPv6 literal", "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n")
                        .bodies("CONNECT [::1]:443 host=[::1]:443 body="),
                // and only in authority-form, with a host and a port (RFC 9110 §9.3.6)
                refused(f, "CONNECT with origin-form", 400, "CONNECT /c HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "CONNECT with absolute-form", 400, "CONNECT http://x:443/ HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "CONNECT with asterisk-form", 400, "CONNECT * HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "CONNECT without port", 400, "CONNECT x HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "CONNECT with an empty port", 400, "CONNECT x: HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "CONNECT without host", 400, "CONNECT :443 HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "CONNECT with userinfo", 400, "CONNECT u@x:443 HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "authority-form for GET", 400, "GET x:443 HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a relative target", 400, "GET a/b HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a fragment", 400, "GET /a#frag HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "NUL in the target", 400, "GET /a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "DEL in the target", 400, "GET /a\u007fb HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "a high-bit byte in the target", 400, "GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(f, "missing Host in HTTP/1.1", 400, "GET /h HTTP/1.1\r\nAccept: */*\r\n\r\n"),
                ok(f, "no Host in HTTP/1.0", "GET /h HTTP/1.0\r\n\r\n")
                        .thenCloses()
                        .bodies("GET /h host=- body="),
                refused(f, "two Host fields", 400, "GET /h HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n"),
                refused(f, "two Host fields of different case", 400, "GET /h HTTP/1.1\r\nHost: x\r\nhost: y\r\n\r\n"),
                refused(f, "two Host fields in HTTP/1.0", 400, "GET /h HTTP/1.0\r\nHost: x\r\nHost: y\r\n\r\n"),
                // a Host value must be uri-host [":" port] (RFC 9110 §7.2), else 400 (RFC 9112 §3.2)
                refused(f, "a space in Host", 400, "GET /h HTTP/1.1\r\nHost: a b\r\n\r\n"),
                refused(f, "two hosts in one Host", 400, "GET /h HTTP/1.1\r\nHost: a, b\r\n\r\n"),
                refused(f, "a path in Host", 400, "GET /h HTTP/1.1\r\nHost: a/b\r\n\r\n"),
                refused(f, "userinfo in Host", 400, "GET /h HTTP/1.1\r\nHost: u@a\r\n\r\n"),
                refused(f, "a backslash in Host", 400, "GET /h HTTP/1.1\r\nHost: a\\b\r\n\r\n"),
                refused(f, "a high-bit byte in Host", 400, "GET /h HTTP/1.1\r\nHost: caf\u00e9\r\n\r\n"),
                refused(f, "a malformed escape in Host", 400, "GET /h HTTP/1.1\r\nHost: a%zz\r\n\r\n"),
                refused(f, "a non-numeric port", 400, "GET /h HTTP/1.1\r\nHost: a:8o\r\n\r\n"),
                // port = *DIGIT has no bound in RFC 3986; strict: a TCP port fits 16 bits
                refused(f, "a port over 65535", 400, "GET /h HTTP/1.1\r\nHost: a:65536\r\n\r\n"),
                refused(f, "two ports", 400, "GET /h HTTP/1.1\r\nHost: a:1:2\r\n\r\n"),
                refused(f, "an unclosed IPv6 literal", 400, "GET /h HTTP/1.1\r\nHost: [::1\r\n\r\n"),
                refused(f, "an IPv6 literal with a name", 400, "GET /h HTTP/1.1\r\nHost: [localhost]\r\n\r\n"),
                refused(f, "text after an IPv6 literal", 400, "GET /h HTTP/1.1\r\nHost: [::1]x\r\n\r\n"),
                ok(f, "a percent-encoded Host", "GET /h HTTP/1.1\r\nHost: %78.example\r\n\r\n")
                        .bodies("GET /h host=%78.example body="),
                // RFC 3986 §3.2.3 allows an empty port
                ok(f, "an empty port", "GET /h HTTP/1.1\r\nHost: x:\r\n\r\n").bodies("GET /h host=x: body="),
                ok(f, "an IPvFuture literal", "GET /h HTTP/1.1\r\nHost: [v1.fe80::a+en1]\r\n\r\n"),
                ok(f, "sub-delims in Host", "GET /h HTTP/1.1\r\nHost: a!$&'()*+,;=b\r\n\r\n"),
                ok(f, "an IPv6 Host with port", "GET /h HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n")
                        .bodies("GET /h host=[::1]:8080 body="),
                ok(f, "an IPv4 Host", "GET /h HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .bodies("GET /h host=127.0.0.1 body="),
                // the Host value is uri-host [":" port] and reg-name may be empty (RFC 9110 §7.2,
                // RFC 9112 §3.2: an empty Host is what a client sends for a target without authority)
                ok(f, "an empty Host", "GET /h HTTP/1.1\r\nHost: \r\n\r\n").bodies("GET /h host= body="));
    }

    static List<ConformanceCase> sizeLimits() {
        String f = "size limits";
        String exactUri = "/" + "u".repeat(MAX_URI_LEN - 1);
        // maxReqHdrLen counts the field lines with their CRLFs: not the request line, not the
        // empty line; "Host: x\r\n" is 9 bytes and "X-Pad: " + CRLF 9 more
        int pad = MAX_REQ_HDR_LEN - 18;
        StringBuilder fields = new StringBuilder();
        for (int i = 1; i < MAX_HEADER_COUNT; i++) {
            fields.append("X-").append(i).append(": v\r\n");
        }
        String chunk500 = "1f4\r\n" + "c".repeat(500) + "\r\n";
        return List.of(
                ok(f, "a target of exactly maxUriLen", "GET " + exactUri + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .bodies("GET " + exactUri + " host=x body="),
                refused(f, "a target one over maxUriLen", 414, "GET " + exactUri + "u HTTP/1.1\r\nHost: x\r\n\r\n"),
                refused(
                        f,
                        "a query one over maxUriLen",
                        414,
                        "GET /?" + "q".repeat(MAX_URI_LEN - 1) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                ok(
                        f,
                        "a header block of exactly maxReqHdrLen",
                        "GET /z HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(pad) + "\r\n\r\n"),
                refused(
                        f,
                        "a header block one over maxReqHdrLen",
                        431,
                        "GET /z HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(pad + 1) + "\r\n\r\n"),
                ok(f, "exactly maxHeaderCount fields", "GET /z HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n"),
                refused(
                        f,
                        "one field over maxHeaderCount",
                        431,
                        "GET /z HTTP/1.1\r\nHost: x\r\n" + fields + "X-Last: v\r\n\r\n"),
                ok(
                        f,
                        "a Content-Length body of exactly maxContentLength",
                        "POST /z HTTP/1.1\r\nHost: x\r\nContent-Length: " + MAX_CONTENT_LENGTH + "\r\n\r\n"
                                + "b".repeat(MAX_CONTENT_LENGTH)),
                refused(
                        f,
                        "a Content-Length one over maxContentLength",
                        413,
                        "POST /z HTTP/1.1\r\nHost: x\r\nContent-Length: " + (MAX_CONTENT_LENGTH + 1) + "\r\n\r\n"
                                + "b".repeat(MAX_CONTENT_LENGTH + 1)),
                ok(
                        f,
                        "a chunked body of exactly maxContentLength",
                        "POST /z HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk500 + chunk500
                                + "0\r\n\r\n"),
                // the chunked total is known only while reading: the handler is already running
                refusedInBody(
                        f,
                        "a chunked body one over maxContentLength",
                        413,
                        "POST /z HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk500 + chunk500
                                + "1\r\nc\r\n0\r\n\r\n"),
                // trailers share the header limits
                refusedInBody(
                        f,
                        "a trailer section over maxReqHdrLen",
                        431,
                        "POST /z HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Pad: "
                                + "p".repeat(MAX_REQ_HDR_LEN) + "\r\n\r\n"));
    }

    static List<ConformanceCase> keepAlive() {
        String f = "keep-alive";
        return List.of(
                ok(f, "HTTP/1.1 is persistent by default", "GET /k HTTP/1.1\r\nHost: x\r\n\r\n"),
                ok(f, "HTTP/1.1 keep-alive", "GET /k HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"),
                ok(f, "Connection: close", "GET /k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .thenCloses(),
                ok(f, "Connection: CLOSE", "GET /k HTTP/1.1\r\nHost: x\r\nConnection: CLOSE\r\n\r\n")
                        .thenCloses(),
                ok(f, "HTTP/1.0 closes by default", "GET /k HTTP/1.0\r\n\r\n").thenCloses(),
                ok(f, "HTTP/1.0 keep-alive", "GET /k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
                ok(
                                f,
                                "close wins over keep-alive",
                                "GET /k HTTP/1.1\r\nHost: x\r\nConnection: close, keep-alive\r\n\r\n")
                        .thenCloses(),
                ok(f, "close wins in HTTP/1.0", "GET /k HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n")
                        .thenCloses(),
                ok(
                                f,
                                "close in a second Connection field",
                                "GET /k HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n")
                        .thenCloses(),
                ok(f, "close among other options", "GET /k HTTP/1.1\r\nHost: x\r\nConnection: foo,close ,bar\r\n\r\n")
                        .thenCloses());
    }

    static List<ConformanceCase> pipelining() {
        String f = "pipelining";
        String get = "GET /p%d HTTP/1.1\r\nHost: x\r\n\r\n";
        return List.of(
                ok(f, "three requests in one go", get.formatted(1) + get.formatted(2) + get.formatted(3))
                        .answers(200, 200, 200)
                        .calls(3)
                        .bodies("GET /p1 host=x body=", "GET /p2 host=x body=", "GET /p3 host=x body="),
                ok(
                                f,
                                "a bad request after good ones",
                                get.formatted(1) + get.formatted(2) + "GET /bad HTTP/1.1\r\n\r\n")
                        .answers(200, 200, 400)
                        .thenCloses()
                        .calls(2)
                        .bodies("GET /p1 host=x body=", "GET /p2 host=x body="),
                ok(f, "nothing after a bad request", get.formatted(1) + "GET /bad HTTP/1.1\r\n\r\n" + get.formatted(3))
                        .answers(200, 400)
                        .thenCloses()
                        .bodies("GET /p1 host=x body="),
                ok(
                                f,
                                "bodies between requests",
                                "POST /b1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" + get.formatted(2)
                                        + "POST /b3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
                                        + get.formatted(4))
                        .answers(200, 200, 200, 200)
                        .calls(4)
                        .bodies(
                                "POST /b1 host=x body=abc",
                                "GET /p2 host=x body=",
                                "POST /b3 host=x body=de",
                                "GET /p4 host=x body="),
                // an unread body is drained, and what follows it is the next request
                ok(
                                f,
                                "a body the handler ignores",
                                "POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" + get.formatted(2))
                        .answers(200, 200)
                        .calls(2)
                        .bodies("POST /ignore host=x body=-", "GET /p2 host=x body="));
    }

    static List<ConformanceCase> expectations() {
        String f = "Expect";
        return List.of(
                // the client waits for the interim response before it sends the body
                ok(
                                f,
                                "100-continue, body after the 100",
                                "POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
                        .afterContinue("hello")
                        .answers(100, 200)
                        .bodies("POST /e host=x body=hello"),
                ok(
                                f,
                                "100-continue with a chunked body",
                                "POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .afterContinue("5\r\nhello\r\n0\r\n\r\n")
                        .answers(100, 200)
                        .bodies("POST /e host=x body=hello"),
                // a client that does not wait still gets the interim response first
                ok(
                                f,
                                "100-continue, body sent at once",
                                "POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello")
                        .answers(100, 200)
                        .bodies("POST /e host=x body=hello"),
                ok(
                        f,
                        "100-continue without a body",
                        "POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n"),
                // an HTTP/1.0 client cannot take an interim response (RFC 9110 §10.1.1): ignored
                ok(
                                f,
                                "100-continue in HTTP/1.0",
                                "POST /e HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello")
                        .thenCloses()
                        .bodies("POST /e host=- body=hello"),
                // Expect is a list: empty elements are ignored (RFC 9110 §5.6.1.2)
                ok(
                                f,
                                "100-continue with an empty list element",
                                "POST /e HTTP/1.1\r\nHost: x\r\nExpect: , 100-continue,\r\nContent-Length: 5\r\n\r\nhello")
                        .answers(100, 200)
                        .bodies("POST /e host=x body=hello"),
                ok(f, "an empty Expect", "POST /e HTTP/1.1\r\nHost: x\r\nExpect:\r\nContent-Length: 5\r\n\r\nhello")
                        .bodies("POST /e host=x body=hello"),
                refused(
                        f,
                        "an unknown expectation",
                        417,
                        "POST /e HTTP/1.1\r\nHost: x\r\nExpect: tea\r\nContent-Length: 5\r\n\r\nhello"),
                refused(
                        f,
                        "100-continue and more",
                        417,
                        "POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue, tea\r\nContent-Length: 5\r\n\r\nhello"),
                // no meaning is defined for a repeated 100-continue: strict, refused like an unknown one
                refused(
                        f,
                        "two Expect fields",
                        417,
                        "POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"),
                // final answer without a 100: whether the body still comes is unknown, so close
                ok(
                                f,
                                "a handler that does not read the body",
                                "POST /ignore HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
                        .thenCloses()
                        .bodies("POST /ignore host=x body=-"));
    }

    static List<ConformanceCase> halfClose() {
        String f = "half-close";
        String get = "GET /hc HTTP/1.1\r\nHost: x\r\n\r\n";
        return List.of(
                // the response to a complete request still goes out after the client's FIN (RFC 9112 §9.6)
                ok(f, "a whole request, then FIN", get)
                        .halfClosed()
                        .thenCloses()
                        .bodies("GET /hc host=x body="),
                ok(f, "two pipelined requests, then FIN", get + get)
                        .halfClosed()
                        .answers(200, 200)
                        .thenCloses()
                        .calls(2),
                ok(f, "a request with a body, then FIN", "POST /hc HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
                        .halfClosed()
                        .thenCloses()
                        .bodies("POST /hc host=x body=hi"),
                silent(f, "half a request line, then FIN", "GET /hc HT").halfClosed(),
                silent(f, "half a head, then FIN", "GET /hc HTTP/1.1\r\nHost: x\r\n")
                        .halfClosed(),
                silent(f, "half a body, then FIN", "POST /hc HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf")
                        .halfClosed()
                        .calls(1, 0),
                silent(
                                f,
                                "half a chunked body, then FIN",
                                "POST /hc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
                        .halfClosed()
                        .calls(1, 0),
                refused(f, "a bad request, then FIN", 400, "GET /hc HTTP/1.1\r\n\r\n")
                        .halfClosed());
    }
}
