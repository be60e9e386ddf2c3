package dev.httpsd.server.http1;

import dev.httpsd.server.HttpError;
import dev.httpsd.server.InputBuffer;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * Parses a request head (RFC 9112 §2–§3, §5–§7) from an {@link InputBuffer}, enforcing the
 * configured limits: the request line ({@link RequestLineParser}), the header section ({@link
 * FieldLineParser}), then what they mean ({@link HeadInterpreter}). Strict where the RFC allows a
 * choice: lines end in CRLF, no obs-fold, no whitespace before a colon, exactly one Host in
 * HTTP/1.1, Content-Length and Transfer-Encoding never together, one Content-Length made of
 * digits only. A refusal is an {@link HttpParseException} carrying the status to answer.
 *
 * <p>Limits are counted as httpsd counts them (the request target against maxUriLen, the header
 * lines without the final empty line against maxReqHdrLen) or, with {@code espIdfLimits}, as
 * ESP-IDF counts them: its URI buffer holds the whole request line, so maxUriLen caps the request
 * line (method, target and version, without its CRLF), and the header section is counted with its
 * final empty line.
 *
 * <p>One parser serves one connection's requests in turn (and its chunked bodies' trailers).
 */
public final class RequestHeadParser {

    private final int maxUriLen;
    private final int maxReqHdrLen;
    private final boolean espIdfLimits;
    private final RequestLineParser requestLine;
    private final FieldLineParser fields;
    private final HeadInterpreter interpreter;

    public RequestHeadParser(int maxUriLen, int maxReqHdrLen, int maxHeaderCount, long maxContentLength) {
        this(maxUriLen, maxReqHdrLen, maxHeaderCount, maxContentLength, false);
    }

    public RequestHeadParser(
            int maxUriLen, int maxReqHdrLen, int maxHeaderCount, long maxContentLength, boolean espIdfLimits) {
        this.maxUriLen = maxUriLen;
        this.maxReqHdrLen = maxReqHdrLen;
        this.espIdfLimits = espIdfLimits;
        this.requestLine = new RequestLineParser(maxUriLen, espIdfLimits);
        this.fields = new FieldLineParser(maxHeaderCount);
        this.interpreter = new HeadInterpreter(maxContentLength);
    }

    /**
     * The most bytes {@link #parse} consumes for one head: empty lines before it (up to
     * maxReqHdrLen), the request line, the field lines (maxReqHdrLen) and the empty line.
     */
    public int maxHeadBytes() {
        return maxReqHdrLen + (maxUriLen + RequestLineParser.MAX_METHOD_LENGTH + 16 + 2) + maxReqHdrLen + 2;
    }

    /**
     * @throws HttpParseException with the status to answer
     * @throws EOFException when the stream ends before the head is complete (no answer is due)
     * @throws SocketTimeoutException when the head did not arrive in time; what arrived stays
     *     buffered, so a retried parse starts again at the request line
     */
    public RequestHead parse(InputBuffer in) throws IOException {
        int lineEnd;
        // RFC 9112 §2.2: ignore empty lines before the request line (they count against the budget)
        int skipped = 0;
        while ((lineEnd = requestLine.findEnd(in)) == in.position()) {
            in.skip(2);
            skipped += 2;
            if (skipped > maxReqHdrLen) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "too many empty lines before the request");
            }
        }
        in.mark();
        try {
            requestLine.parse(in, lineEnd);
            HeaderBlock headers = fields.parse(in, maxReqHdrLen, espIdfLimits, FieldLineParser.Section.HEADER);
            return interpreter.interpret(
                    requestLine.method(), requestLine.target(), requestLine.http10(), headers, in.marked());
        } catch (SocketTimeoutException e) {
            in.rewindToMark();
            throw e;
        } finally {
            in.unmark();
        }
    }

    /** A chunked body's trailer section, up to and including its empty line. */
    HeaderBlock parseTrailers(InputBuffer in, int budget) throws IOException {
        return fields.parse(in, budget, false, FieldLineParser.Section.TRAILER);
    }
}
