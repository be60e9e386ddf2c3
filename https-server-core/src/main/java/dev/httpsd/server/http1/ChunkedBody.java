package dev.httpsd.server.http1;

import dev.httpsd.server.HttpError;
import dev.httpsd.server.InputBuffer;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * A chunked request body (RFC 9112 §7.1). Strict: chunk sizes are 1–15 hex digits, extensions
 * follow their grammar, every line ends in CRLF, chunk data is followed by exactly CRLF; trailer
 * fields are parsed with the header rules and discarded.
 */
public final class ChunkedBody extends RequestBody {

    private static final int MAX_SIZE_DIGITS = 15;
    private static final int MAX_EXTENSION_LENGTH = 4096;

    private final InputBuffer in;
    private final RequestHeadParser trailerParser;
    private final int maxTrailerLength;
    private final long maxContentLength;
    private long chunkRemaining;
    private long total;
    private boolean crlfPending;
    private boolean done;
    private int extensionLength;

    ChunkedBody(InputBuffer in, RequestHeadParser trailerParser, int maxTrailerLength, long maxContentLength) {
        this.in = in;
        this.trailerParser = trailerParser;
        this.maxTrailerLength = maxTrailerLength;
        this.maxContentLength = maxContentLength;
    }

    @Override
    int read(byte[] buffer, int offset, int length) throws IOException {
        if (done) {
            return -1;
        }
        if (chunkRemaining == 0) {
            long size = readFraming();
            if (size == 0) {
                done = true;
                return -1;
            }
            total += size;
            if (total > maxContentLength || total < 0) {
                throw new HttpParseException(
                        HttpError.CONTENT_TOO_LARGE_413, "chunked body exceeds " + maxContentLength + " bytes");
            }
            chunkRemaining = size;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, chunkRemaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        chunkRemaining -= n;
        // the CRLF after the data is checked on the next read, so data is never held back for it
        crlfPending = chunkRemaining == 0;
        return n;
    }

    @Override
    boolean complete() {
        return done;
    }

    /**
     * Reads the framing between two chunks' data: the CRLF that ends the previous chunk, the next
     * size line with its extensions, and after the last chunk the trailer section. A read that
     * times out inside it (the handler may retry, as {@code httpd_req_recv} invites) gives back
     * every byte of it: the session input keeps them from the mark, and the retry parses the
     * framing from its start, so no digit or CR is lost between the two attempts.
     *
     * @return the next chunk's size; 0 after the last chunk, its trailers consumed
     */
    private long readFraming() throws IOException {
        in.mark();
        long size;
        try {
            if (crlfPending) {
                expect('\r');
                expect('\n');
            }
            size = readChunkSize();
            if (size == 0) {
                trailerParser.parseTrailers(in, maxTrailerLength);
            }
        } catch (SocketTimeoutException e) {
            in.rewindToMark();
            throw e;
        } finally {
            in.unmark();
        }
        crlfPending = false;
        return size;
    }

    private long readChunkSize() throws IOException {
        long size = 0;
        int digits = 0;
        int c;
        while ((c = next()) != '\r') {
            int value = Ascii.hexValue(c);
            if (value < 0) {
                if (digits > 0 && (c == ';' || c == ' ' || c == '\t')) {
                    skipExtensions(c);
                    break;
                }
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid chunk size");
            }
            if (++digits > MAX_SIZE_DIGITS) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "chunk size too large");
            }
            size = size * 16 + value;
        }
        if (digits == 0) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "missing chunk size");
        }
        expect('\n');
        return size;
    }

    /**
     * Reads chunk extensions up to and including the CR, strictly by RFC 9112 §7.1.1: {@code *(
     * BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )}, no whitespace before the CR.
     * They are checked, not kept: parsers that disagree on where an extension ends disagree on
     * where the chunk data starts.
     */
    private void skipExtensions(int first) throws IOException {
        extensionLength = 0;
        int c = first;
        while (true) {
            c = skipWhitespace(c);
            if (c != ';') {
                throw invalidExtension();
            }
            c = token(skipWhitespace(nextInExtension()));
            boolean trailingWhitespace = c == ' ' || c == '\t';
            c = skipWhitespace(c);
            if (c == '=') {
                c = skipWhitespace(nextInExtension());
                c = c == '"' ? quotedString() : token(c);
                trailingWhitespace = c == ' ' || c == '\t';
                c = skipWhitespace(c);
            }
            if (c == '\r') {
                if (trailingWhitespace) {
                    throw invalidExtension();
                }
                return;
            }
        }
    }

    /** Reads a token starting with {@code c}; returns the character after it. */
    private int token(int c) throws IOException {
        if (!Ascii.isTchar(c)) {
            throw invalidExtension();
        }
        while (Ascii.isTchar(c)) {
            c = nextInExtension();
        }
        return c;
    }

    /** Reads the rest of a quoted-string after its opening quote; returns the character after it. */
    private int quotedString() throws IOException {
        int c;
        while ((c = nextInExtension()) != '"') {
            if (c == '\\') {
                c = nextInExtension();
                // quoted-pair: HTAB / SP / VCHAR / obs-text
                if (c != '\t' && (c < 0x20 || c == 0x7f)) {
                    throw invalidExtension();
                }
            } else if (c != '\t' && (c < 0x20 || c == 0x7f)) {
                // qdtext is every other visible character, space, tab and obs-text
                throw invalidExtension();
            }
        }
        return nextInExtension();
    }

    private int skipWhitespace(int c) throws IOException {
        while (c == ' ' || c == '\t') {
            c = nextInExtension();
        }
        return c;
    }

    private int nextInExtension() throws IOException {
        if (++extensionLength > MAX_EXTENSION_LENGTH) {
            throw invalidExtension();
        }
        return next();
    }

    private static HttpParseException invalidExtension() {
        return new HttpParseException(HttpError.BAD_REQUEST_400, "invalid chunk extension");
    }

    private void expect(int expected) throws IOException {
        if (next() != expected) {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid chunk framing");
        }
    }

    private int next() throws IOException {
        int c = in.read();
        if (c < 0) {
            throw new EOFException("connection closed inside chunked framing");
        }
        return c;
    }
}
