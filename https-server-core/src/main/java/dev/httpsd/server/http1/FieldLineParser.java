package dev.httpsd.server.http1;

import dev.httpsd.server.HttpError;
import dev.httpsd.server.InputBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Field lines (RFC 9112 §5): the header section of a request and the trailer section of a chunked
 * body, up to and including the empty line. Strict: no obs-fold, no whitespace before the colon,
 * the name a token, no control character in the value; within a byte budget and a count.
 */
final class FieldLineParser {

    /** Which section is parsed: it names the section in error messages. */
    enum Section {
        HEADER("header"),
        TRAILER("trailer");

        private final String word;

        Section(String word) {
            this.word = word;
        }
    }

    private final int maxFields;

    FieldLineParser(int maxFields) {
        this.maxFields = maxFields;
    }

    /**
     * @param budget the section's bytes, lines with their CRLF, the final empty line excluded
     * @param countEmptyLine whether the final empty line counts against {@code budget} too (ESP)
     */
    HeaderBlock parse(InputBuffer in, int budget, boolean countEmptyLine, Section section) throws IOException {
        HeaderBlock fields = new HeaderBlock();
        int used = countEmptyLine ? 2 : 0;
        while (true) {
            int lineEnd = Lines.findEnd(in, Math.max(0, budget - used));
            if (lineEnd == Lines.TOO_LONG) {
                throw new HttpParseException(HttpError.REQUEST_HEADER_FIELDS_TOO_LARGE_431, "header block too large");
            }
            byte[] b = in.buffer();
            int start = in.position();
            int length = lineEnd - start;
            if (length == 0) {
                in.skip(2);
                return fields;
            }
            used += length + 2;
            if (used > budget) {
                throw new HttpParseException(
                        HttpError.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                        section.word + " block larger than " + budget + " bytes");
            }
            if (b[start] == ' ' || b[start] == '\t') {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "obsolete line folding in " + section.word);
            }
            int colon = Lines.indexOf(b, start, lineEnd, (byte) ':');
            if (colon <= start) {
                throw new HttpParseException(HttpError.BAD_REQUEST_400, "malformed " + section.word + " line");
            }
            for (int i = start; i < colon; i++) {
                int c = b[i] & 0xff;
                if (!Ascii.isTchar(c)) {
                    throw new HttpParseException(
                            HttpError.BAD_REQUEST_400,
                            c == ' ' || c == '\t'
                                    ? "whitespace before colon in " + section.word
                                    : "invalid character in " + section.word + " name");
                }
            }
            int valueStart = colon + 1;
            int valueEnd = lineEnd;
            while (valueStart < valueEnd && (b[valueStart] == ' ' || b[valueStart] == '\t')) valueStart++;
            while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) valueEnd--;
            for (int i = valueStart; i < valueEnd; i++) {
                int c = b[i] & 0xff;
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new HttpParseException(
                            HttpError.BAD_REQUEST_400, "invalid character in " + section.word + " value");
                }
            }
            if (fields.size() == maxFields) {
                throw new HttpParseException(
                        HttpError.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                        "more than " + maxFields + " " + section.word + " fields");
            }
            fields.add(
                    new String(b, start, colon - start, StandardCharsets.US_ASCII),
                    new String(b, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
            in.skip(length + 2);
        }
    }
}
