package dev.httpsd.server;

import java.io.EOFException;
import java.io.IOException;

/**
 * A chunked request body (RFC 9112 §7.1). Strict: chunk sizes are 1–15 hex digits, every line
 * ends in CRLF, chunk data is followed by exactly CRLF; trailer fields are parsed with the header
 * rules and discarded.
 */
final class ChunkedBody extends RequestBody {

    private static final int MAX_SIZE_DIGITS = 15;
    private static final int MAX_EXTENSION_LENGTH = 4096;

    private final SessionInput in;
    private final RequestHeadParser trailerParser;
    private final int maxTrailerLength;
    private final long maxContentLength;
    private long chunkRemaining;
    private long total;
    private boolean crlfPending;
    private boolean done;

    ChunkedBody(SessionInput in, RequestHeadParser trailerParser, int maxTrailerLength, long maxContentLength) {
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
            if (crlfPending) {
                expect('\r');
                expect('\n');
                crlfPending = false;
            }
            long size = readChunkSize();
            if (size == 0) {
                trailerParser.parseFields(in, maxTrailerLength, "trailer");
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

    private long readChunkSize() throws IOException {
        long size = 0;
        int digits = 0;
        int c;
        while ((c = next()) != '\r') {
            int value = QueryStrings.hexValue(c);
            if (value < 0) {
                if (digits > 0 && (c == ';' || c == ' ' || c == '\t')) {
                    skipExtension(c);
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

    /** Skips BWS ";" chunk-ext up to the CR; the CR is consumed. */
    private void skipExtension(int first) throws IOException {
        int c = first;
        while (c == ' ' || c == '\t') {
            c = next();
        }
        if (c != ';') {
            throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid chunk extension");
        }
        for (int length = 0; (c = next()) != '\r'; length++) {
            if (length > MAX_EXTENSION_LENGTH || c == '\n' || (c < 0x20 && c != '\t') || c == 0x7f) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "invalid chunk extension");
            }
        }
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
