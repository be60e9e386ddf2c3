package dev.httpsd.server.http1;

import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import java.util.List;

/**
 * What a parsed request line and header section mean (RFC 9112 §3.2, §6, §9; RFC 9110 §10.1.1):
 * exactly one valid Host in HTTP/1.1, the target's form and its path and query, the body's
 * framing (Content-Length and Transfer-Encoding never together, one Content-Length made of digits,
 * chunked last), whether the connection persists, and the one expectation there is.
 */
final class HeadInterpreter {

    private final long maxContentLength;

    HeadInterpreter(long maxContentLength) {
        this.maxContentLength = maxContentLength;
    }

    RequestHead interpret(HttpMethod method, String target, boolean http10, HeaderBlock headers, byte[] raw)
            throws HttpParseException {
        int hosts = headers.count("Host");
        if (hosts > 1 || (!http10 && hosts == 0)) {
            throw new HttpParseException(
                    HttpError.BAD_REQUEST_400, hosts == 0 ? "missing Host header" : "more than one Host header");
        }
        // RFC 9112 §3.2: a Host field with an invalid value MUST be answered 400
        String host = headers.first("Host");
        if (host != null && !UriSyntax.isHostAndPort(host, true, false)) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid Host header");
        }
        String path = path(method, target, headers);
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        long contentLength = framing(http10, headers);
        // HTTP/1.1 persists unless told to close; HTTP/1.0 closes unless told to keep alive
        boolean keepAlive =
                !headers.hasToken("Connection", "close") && (!http10 || headers.hasToken("Connection", "keep-alive"));
        boolean expectContinue = false;
        List<String> expectations = headers.tokens("Expect");
        if (!expectations.isEmpty()) {
            // one 100-continue, the only expectation there is; a repeated one means nothing defined
            if (expectations.size() > 1 || !expectations.getFirst().equalsIgnoreCase("100-continue")) {
                throw new HttpParseException(
                        HttpError.EXPECTATION_FAILED_417,
                        "unsupported expectation: " + String.join(", ", expectations));
            }
            expectContinue = !http10 && contentLength != 0;
        }
        return new RequestHead(
                method, target, path, query, http10, headers, contentLength, keepAlive, expectContinue, raw);
    }

    /** The path and query the target names, by its form; the Host of an absolute target. */
    private static String path(HttpMethod method, String target, HeaderBlock headers) throws HttpParseException {
        if (method == HttpMethod.CONNECT) {
            // CONNECT names a tunnel's host and port, in authority-form only (RFC 9112 §3.2.3)
            if (!UriSyntax.isHostAndPort(target, false, true)) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "CONNECT needs a host:port target");
            }
            return target;
        }
        if (target.charAt(0) == '/') {
            checkPathAndQuery(target, 0);
            return target;
        }
        if (startsWithIgnoreCase(target, "http://") || startsWithIgnoreCase(target, "https://")) {
            int authorityStart = target.indexOf("//") + 2;
            int slash = firstOf(target, authorityStart, '/', '?');
            String authority = target.substring(authorityStart, slash < 0 ? target.length() : slash);
            // an http(s) URI has a host (RFC 9110 §4.2.1) and userinfo is an error (§4.2.4)
            if (!UriSyntax.isHostAndPort(authority, false, false)) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid authority in the request target");
            }
            if (slash >= 0) {
                checkPathAndQuery(target, slash);
            }
            // RFC 9112 §3.2.2: the target's authority, not the Host field, names the host
            headers.set("Host", authority);
            if (slash < 0) {
                return "/";
            }
            return target.charAt(slash) == '?' ? "/" + target.substring(slash) : target.substring(slash);
        }
        if (target.equals("*") && method == HttpMethod.OPTIONS) {
            return target;
        }
        throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid request target form");
    }

    /**
     * RFC 9112 §3.2 leaves a recipient of an invalid target the choice of 400 or a redirect to
     * its proper encoding: 400, so handlers never see a character outside RFC 3986 or an escape
     * that decodes in more than one way.
     */
    private static void checkPathAndQuery(String target, int from) throws HttpParseException {
        if (target.indexOf('#', from) >= 0) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "fragment in request target");
        }
        if (!UriSyntax.isPathAndQuery(target, from, target.length())) {
            throw new HttpParseException(
                    HttpError.BAD_REQUEST_400, "invalid character or percent-escape in request target");
        }
    }

    private long framing(boolean http10, HeaderBlock headers) throws HttpParseException {
        int contentLengths = headers.count("Content-Length");
        if (headers.count("Transfer-Encoding") > 0) {
            List<String> codings = headers.tokens("Transfer-Encoding");
            if (contentLengths > 0) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "both Content-Length and Transfer-Encoding");
            }
            if (http10) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (codings.isEmpty() || !codings.getLast().equalsIgnoreCase("chunked")) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "Transfer-Encoding must end with chunked");
            }
            for (int i = 0; i < codings.size() - 1; i++) {
                String coding = codings.get(i);
                if (coding.equalsIgnoreCase("chunked") || !Ascii.isToken(coding)) {
                    throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid Transfer-Encoding");
                }
            }
            if (codings.size() > 1) {
                throw new HttpParseException(
                        HttpError.METHOD_NOT_IMPLEMENTED_501, "unsupported transfer coding: " + codings.getFirst());
            }
            return RequestHead.CHUNKED;
        }
        if (contentLengths == 0) {
            return 0;
        }
        if (contentLengths > 1) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "more than one Content-Length");
        }
        String value = headers.first("Content-Length");
        if (value.isEmpty() || value.length() > 18) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid Content-Length");
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Ascii.isDigit(c)) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid Content-Length");
            }
            length = length * 10 + (c - '0');
        }
        if (length > maxContentLength) {
            throw new HttpParseException(
                    HttpError.CONTENT_TOO_LARGE_413, "Content-Length " + length + " exceeds " + maxContentLength);
        }
        return length;
    }

    private static int firstOf(String s, int from, char a, char b) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
