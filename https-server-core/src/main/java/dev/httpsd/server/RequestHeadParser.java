package dev.httpsd.server;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a request head (RFC 9112 §2–§3, §5–§7) from a {@link SessionInput}, enforcing the
 * configured limits. Strict where the RFC allows a choice: lines end in CRLF (a bare LF or CR is
 * 400), no obs-fold, no whitespace before a colon, exactly one Host in HTTP/1.1, Content-Length
 * and Transfer-Encoding never together, one Content-Length made of digits only.
 *
 * <p>Limits are counted as httpsd counts them (the request target against maxUriLen, the header
 * lines without the final empty line against maxReqHdrLen) or, with {@code espIdfLimits}, as
 * ESP-IDF counts them: its URI buffer holds the whole request line, so maxUriLen caps the request
 * line (method, target and version, without its CRLF), and the header section is counted with its
 * final empty line.
 */
final class RequestHeadParser {

    private static final int MAX_METHOD_LENGTH = 32;
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private final int maxUriLen;
    private final int maxReqHdrLen;
    private final int maxHeaderCount;
    private final long maxContentLength;
    private final boolean espIdfLimits;

    RequestHeadParser(int maxUriLen, int maxReqHdrLen, int maxHeaderCount, long maxContentLength) {
        this(maxUriLen, maxReqHdrLen, maxHeaderCount, maxContentLength, false);
    }

    RequestHeadParser(
            int maxUriLen, int maxReqHdrLen, int maxHeaderCount, long maxContentLength, boolean espIdfLimits) {
        this.maxUriLen = maxUriLen;
        this.maxReqHdrLen = maxReqHdrLen;
        this.maxHeaderCount = maxHeaderCount;
        this.maxContentLength = maxContentLength;
        this.espIdfLimits = espIdfLimits;
    }

    /**
     * The most bytes {@link #parse} consumes for one head: empty lines before it (up to
     * maxReqHdrLen), the request line, the field lines (maxReqHdrLen) and the empty line.
     */
    int maxHeadBytes() {
        return maxReqHdrLen + (maxUriLen + MAX_METHOD_LENGTH + 16 + 2) + maxReqHdrLen + 2;
    }

    static boolean isTchar(int c) {
        return c >= 0 && c < 128 && TCHAR[c];
    }

    static boolean isToken(CharSequence s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @throws HttpParseException with the status to answer
     * @throws EOFException when the stream ends before the head is complete (no answer is due)
     */
    RequestHead parse(SessionInput in) throws IOException {
        int requestLineCap = espIdfLimits ? maxUriLen : maxUriLen + MAX_METHOD_LENGTH + 16;
        int lineEnd;
        // RFC 9112 §2.2: ignore empty lines before the request line (they count against the budget)
        int skipped = 0;
        while (true) {
            lineEnd = findLineEnd(in, requestLineCap, true);
            if (lineEnd != in.position()) {
                break;
            }
            in.skip(2);
            skipped += 2;
            if (skipped > maxReqHdrLen) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "too many empty lines before the request");
            }
        }
        in.mark();
        try {
            return parseMarked(in, lineEnd);
        } catch (java.net.SocketTimeoutException e) {
            // keep what arrived: a parse retried after the timeout starts again at the request line
            in.rewindToMark();
            throw e;
        } finally {
            in.unmark();
        }
    }

    private RequestHead parseMarked(SessionInput in, int lineEnd) throws IOException {
        byte[] b = in.buffer();
        int start = in.position();
        if (espIdfLimits && lineEnd - start > maxUriLen) {
            throw new HttpParseException(HttpError.URI_TOO_LONG_414, "request line longer than " + maxUriLen);
        }
        int sp1 = indexOf(b, start, lineEnd, (byte) ' ');
        if (sp1 <= start || sp1 - start > MAX_METHOD_LENGTH) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "malformed request line");
        }
        String methodToken = ascii(b, start, sp1);
        if (!isToken(methodToken)) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid method");
        }
        int sp2 = indexOf(b, sp1 + 1, lineEnd, (byte) ' ');
        if (sp2 < 0) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "malformed request line");
        }
        if (sp2 - sp1 - 1 > maxUriLen) {
            throw new HttpParseException(HttpError.URI_TOO_LONG_414, "request target longer than " + maxUriLen);
        }
        if (sp2 == sp1 + 1) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "empty request target");
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            int c = b[i] & 0xff;
            if (c <= 0x20 || c >= 0x7f) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid character in request target");
            }
        }
        String target = ascii(b, sp1 + 1, sp2);
        boolean http10 = parseVersion(b, sp2 + 1, lineEnd);
        HttpMethod method = HttpMethod.fromToken(methodToken);
        in.skip(lineEnd + 2 - start);
        if (method == null) {
            throw new HttpParseException(
                    HttpError.METHOD_NOT_IMPLEMENTED_501, "method not implemented: " + methodToken);
        }

        HeaderBlock headers = parseFields(in, maxReqHdrLen, "header", espIdfLimits);
        return interpret(method, target, http10, headers, in.marked());
    }

    /** Parses header (or trailer) fields up to and including the empty line. */
    HeaderBlock parseFields(SessionInput in, int budget, String what) throws IOException {
        return parseFields(in, budget, what, false);
    }

    /**
     * @param countEmptyLine whether the final empty line counts against {@code budget} (ESP)
     */
    private HeaderBlock parseFields(SessionInput in, int budget, String what, boolean countEmptyLine)
            throws IOException {
        HeaderBlock headers = new HeaderBlock();
        int used = countEmptyLine ? 2 : 0;
        while (true) {
            int lineEnd = findLineEnd(in, Math.max(0, budget - used), false);
            byte[] b = in.buffer();
            int start = in.position();
            int length = lineEnd - start;
            if (length == 0) {
                in.skip(2);
                return headers;
            }
            used += length + 2;
            if (used > budget) {
                throw new HttpParseException(
                        HttpError.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                        what + " block larger than " + budget + " bytes");
            }
            if (b[start] == ' ' || b[start] == '\t') {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "obsolete line folding in " + what);
            }
            int colon = indexOf(b, start, lineEnd, (byte) ':');
            if (colon <= start) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "malformed " + what + " line");
            }
            for (int i = start; i < colon; i++) {
                int c = b[i] & 0xff;
                if (c >= 128 || !TCHAR[c]) {
                    throw new HttpParseException(
                            HttpError.BAD_REQUEST_400,
                            c == ' ' || c == '\t'
                                    ? "whitespace before colon in " + what
                                    : "invalid character in " + what + " name");
                }
            }
            int valueStart = colon + 1;
            int valueEnd = lineEnd;
            while (valueStart < valueEnd && (b[valueStart] == ' ' || b[valueStart] == '\t')) valueStart++;
            while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) valueEnd--;
            for (int i = valueStart; i < valueEnd; i++) {
                int c = b[i] & 0xff;
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid character in " + what + " value");
                }
            }
            if (headers.size() == maxHeaderCount) {
                throw new HttpParseException(
                        HttpError.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                        "more than " + maxHeaderCount + " " + what + " fields");
            }
            headers.add(ascii(b, start, colon), latin1(b, valueStart, valueEnd));
            in.skip(length + 2);
        }
    }

    private RequestHead interpret(HttpMethod method, String target, boolean http10, HeaderBlock headers, byte[] raw)
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

        String path;
        String query = null;
        if (method == HttpMethod.CONNECT) {
            // CONNECT names a tunnel's host and port, in authority-form only (RFC 9112 §3.2.3)
            if (!UriSyntax.isHostAndPort(target, false, true)) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "CONNECT needs a host:port target");
            }
            path = target;
        } else if (target.charAt(0) == '/') {
            checkPathAndQuery(target, 0);
            path = target;
        } else if (startsWithIgnoreCase(target, "http://") || startsWithIgnoreCase(target, "https://")) {
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
            path = slash < 0
                    ? "/"
                    : target.charAt(slash) == '?' ? "/" + target.substring(slash) : target.substring(slash);
        } else if (target.equals("*") && method == HttpMethod.OPTIONS) {
            path = target;
        } else {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid request target form");
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }

        long contentLength = framing(http10, headers);

        boolean keepAlive = !http10;
        for (String connection : headers.all("Connection")) {
            for (String token : connection.split(",")) {
                String t = token.strip();
                if (t.equalsIgnoreCase("close")) {
                    keepAlive = false;
                } else if (t.equalsIgnoreCase("keep-alive") && http10) {
                    keepAlive = true;
                }
            }
        }

        boolean expectContinue = false;
        List<String> expectations = listElements(headers.all("Expect"));
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
        var transferEncodings = headers.all("Transfer-Encoding");
        var contentLengths = headers.all("Content-Length");
        if (!transferEncodings.isEmpty()) {
            if (!contentLengths.isEmpty()) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "both Content-Length and Transfer-Encoding");
            }
            if (http10) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            List<String> codings = listElements(transferEncodings);
            if (codings.isEmpty() || !codings.getLast().equalsIgnoreCase("chunked")) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "Transfer-Encoding must end with chunked");
            }
            for (int i = 0; i < codings.size() - 1; i++) {
                String coding = codings.get(i);
                if (coding.equalsIgnoreCase("chunked") || !isToken(coding)) {
                    throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid Transfer-Encoding");
                }
            }
            if (codings.size() > 1) {
                throw new HttpParseException(
                        HttpError.METHOD_NOT_IMPLEMENTED_501, "unsupported transfer coding: " + codings.getFirst());
            }
            return RequestHead.CHUNKED;
        }
        if (contentLengths.isEmpty()) {
            return 0;
        }
        if (contentLengths.size() > 1) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "more than one Content-Length");
        }
        String value = contentLengths.get(0);
        if (value.isEmpty() || value.length() > 18) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid Content-Length");
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
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

    /**
     * The elements of a list-valued field (RFC 9110 §5.6.1) over all its lines, trimmed; empty
     * elements are dropped, as §5.6.1.2 requires of recipients.
     */
    private static List<String> listElements(List<String> fields) {
        List<String> elements = new ArrayList<>(2);
        for (String field : fields) {
            for (String element : field.split(",", -1)) {
                String trimmed = element.strip();
                if (!trimmed.isEmpty()) {
                    elements.add(trimmed);
                }
            }
        }
        return elements;
    }

    /** HTTP/1.1 → false, HTTP/1.0 → true; another HTTP/d.d → 505; anything else → 400. */
    private static boolean parseVersion(byte[] b, int from, int to) throws HttpParseException {
        if (to - from == 8
                && b[from] == 'H'
                && b[from + 1] == 'T'
                && b[from + 2] == 'T'
                && b[from + 3] == 'P'
                && b[from + 4] == '/'
                && isDigit(b[from + 5])
                && b[from + 6] == '.'
                && isDigit(b[from + 7])) {
            if (b[from + 5] == '1' && b[from + 7] == '1') {
                return false;
            }
            if (b[from + 5] == '1' && b[from + 7] == '0') {
                return true;
            }
            throw new HttpParseException(HttpError.VERSION_NOT_SUPPORTED_505, "HTTP version not supported");
        }
        throw new HttpParseException(HttpError.BAD_REQUEST_400, "malformed HTTP version");
    }

    /**
     * Finds the CR of the next CRLF, reading as needed; the line must not exceed {@code cap} bytes.
     */
    private int findLineEnd(SessionInput in, int cap, boolean requestLine) throws IOException {
        int scanned = 0;
        while (true) {
            byte[] b = in.buffer();
            int start = in.position();
            int end = in.limit();
            for (int i = start + scanned; i < end; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (i == start || b[i - 1] != '\r') {
                        throw new HttpParseException(HttpError.BAD_REQUEST_400, "bare LF in request head");
                    }
                    return i - 1;
                }
                if (c == '\r' && i + 1 < end && b[i + 1] != '\n') {
                    throw new HttpParseException(HttpError.BAD_REQUEST_400, "bare CR in request head");
                }
            }
            scanned = Math.max(0, end - start - 1);
            if (end - start > cap + 1) {
                throw tooLong(in, requestLine);
            }
            int n = in.fill(cap + 2);
            if (n < 0) {
                throw new EOFException("connection closed in the middle of a request head");
            }
            if (n == 0) {
                throw tooLong(in, requestLine);
            }
        }
    }

    private HttpParseException tooLong(SessionInput in, boolean requestLine) {
        if (!requestLine) {
            return new HttpParseException(HttpError.REQUEST_HEADER_FIELDS_TOO_LARGE_431, "header block too large");
        }
        int sp = indexOf(
                in.buffer(), in.position(), Math.min(in.limit(), in.position() + MAX_METHOD_LENGTH + 1), (byte) ' ');
        return sp >= 0
                ? new HttpParseException(
                        HttpError.URI_TOO_LONG_414,
                        (espIdfLimits ? "request line longer than " : "request target longer than ") + maxUriLen)
                : new HttpParseException(HttpError.BAD_REQUEST_400, "malformed request line");
    }

    private static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
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

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
