package dev.httpsd.server.http1;

import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.InputBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The request line (RFC 9112 §3): method, request target and version, separated by single spaces.
 * The method is a token, the target visible ASCII within {@code maxUriLen}, the version {@code
 * HTTP/1.1} or {@code HTTP/1.0} (another {@code HTTP/d.d} is a 505). What one {@link #parse} found
 * is read back from this parser, which serves one connection's requests in turn.
 */
final class RequestLineParser {

    static final int MAX_METHOD_LENGTH = 32;

    private final int maxUriLen;
    private final boolean espIdfLimits;
    private HttpMethod method;
    private String target;
    private boolean http10;

    /**
     * @param espIdfLimits count {@code maxUriLen} against the whole request line, as ESP's URI
     *     buffer holds it
     */
    RequestLineParser(int maxUriLen, boolean espIdfLimits) {
        this.maxUriLen = maxUriLen;
        this.espIdfLimits = espIdfLimits;
    }

    /** The longest request line accepted, CRLF excluded. */
    int maxLength() {
        return espIdfLimits ? maxUriLen : maxUriLen + MAX_METHOD_LENGTH + 16;
    }

    /** Finds the CR ending the line at the position, refusing a line over {@link #maxLength()}. */
    int findEnd(InputBuffer in) throws IOException {
        int end = Lines.findEnd(in, maxLength());
        if (end == Lines.TOO_LONG) {
            int sp = Lines.indexOf(
                    in.buffer(), in.position(), Math.min(in.limit(), in.position() + MAX_METHOD_LENGTH + 1), (byte)
                            ' ');
            throw sp >= 0
                    ? new HttpParseException(
                            HttpError.URI_TOO_LONG_414,
                            (espIdfLimits ? "request line longer than " : "request target longer than ") + maxUriLen)
                    : new HttpParseException(HttpError.BAD_REQUEST_400, "malformed request line");
        }
        return end;
    }

    /** Parses the line from the position to {@code lineEnd} and consumes it with its CRLF. */
    void parse(InputBuffer in, int lineEnd) throws HttpParseException {
        byte[] b = in.buffer();
        int start = in.position();
        if (espIdfLimits && lineEnd - start > maxUriLen) {
            throw new HttpParseException(HttpError.URI_TOO_LONG_414, "request line longer than " + maxUriLen);
        }
        int sp1 = Lines.indexOf(b, start, lineEnd, (byte) ' ');
        if (sp1 <= start || sp1 - start > MAX_METHOD_LENGTH) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "malformed request line");
        }
        String methodToken = new String(b, start, sp1 - start, StandardCharsets.US_ASCII);
        if (!Ascii.isToken(methodToken)) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid method");
        }
        int sp2 = Lines.indexOf(b, sp1 + 1, lineEnd, (byte) ' ');
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
        target = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII);
        http10 = parseVersion(b, sp2 + 1, lineEnd);
        method = HttpMethod.fromToken(methodToken);
        in.skip(lineEnd + 2 - start);
        if (method == null) {
            throw new HttpParseException(
                    HttpError.METHOD_NOT_IMPLEMENTED_501, "method not implemented: " + methodToken);
        }
    }

    HttpMethod method() {
        return method;
    }

    String target() {
        return target;
    }

    boolean http10() {
        return http10;
    }

    /** HTTP/1.1 → false, HTTP/1.0 → true; another HTTP/d.d → 505; anything else → 400. */
    private static boolean parseVersion(byte[] b, int from, int to) throws HttpParseException {
        if (to - from == 8
                && b[from] == 'H'
                && b[from + 1] == 'T'
                && b[from + 2] == 'T'
                && b[from + 3] == 'P'
                && b[from + 4] == '/'
                && Ascii.isDigit(b[from + 5])
                && b[from + 6] == '.'
                && Ascii.isDigit(b[from + 7])) {
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
}
