package dev.httpsd.server.http1;

import java.io.ByteArrayOutputStream;

/**
 * A plain reference decoder for chunked bodies (RFC 9112 §7.1, the strict rules {@link
 * ChunkedBody} promises), for the fuzz test to compare against. It sees the whole input at once,
 * so it has none of the decoder's buffering, and it reads extensions with an explicit state
 * machine. Limits are the decoder's: at most 15 size digits, 4096 extension bytes per chunk, and
 * the trailer section parsed like header fields within a byte budget and a field count. It shares
 * no code with the decoder under test (not even its character classes), so a bug there cannot
 * hide by being copied here.
 */
final class ChunkedReference {

    enum Kind {
        /** A complete body: {@link Outcome#body} is its data. */
        VALID,
        /** Malformed framing or trailers (400), or trailers over their limits (431). */
        INVALID,
        /** More data than the content length limit (413). */
        TOO_LARGE,
        /** The input ends before the body does. */
        TRUNCATED
    }

    /** What the reference made of an input: the data decoded until it stopped, and where. */
    record Outcome(Kind kind, byte[] body, int consumed) {}

    /** RFC 9110 §5.6.2's tchar symbols, written out here rather than taken from the decoder's code. */
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private static final int MAX_SIZE_DIGITS = 15;
    private static final int MAX_EXTENSION_BYTES = 4096;

    private enum Ext {
        BEFORE_SEMICOLON,
        BEFORE_NAME,
        NAME,
        AFTER_NAME,
        BEFORE_VALUE,
        TOKEN_VALUE,
        QUOTED_VALUE,
        QUOTED_PAIR,
        AFTER_QUOTE,
        AFTER_VALUE
    }

    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Kind kind;

        Stop(Kind kind) {
            super(kind.name(), null, false, false);
            this.kind = kind;
        }
    }

    private final byte[] in;
    private final long maxContentLength;
    private final int maxTrailerBytes;
    private final int maxTrailerFields;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int pos;

    private ChunkedReference(byte[] in, long maxContentLength, int maxTrailerBytes, int maxTrailerFields) {
        this.in = in;
        this.maxContentLength = maxContentLength;
        this.maxTrailerBytes = maxTrailerBytes;
        this.maxTrailerFields = maxTrailerFields;
    }

    static Outcome decode(byte[] input, long maxContentLength, int maxTrailerBytes, int maxTrailerFields) {
        return new ChunkedReference(input, maxContentLength, maxTrailerBytes, maxTrailerFields).run();
    }

    private Outcome run() {
        try {
            long total = 0;
            while (true) {
                long size = sizeLine();
                if (size == 0) {
                    trailers();
                    return outcome(Kind.VALID);
                }
                total += size;
                if (total > maxContentLength) {
                    throw new Stop(Kind.TOO_LARGE);
                }
                for (long i = 0; i < size; i++) {
                    body.write(next());
                }
                if (next() != '\r' || next() != '\n') {
                    throw new Stop(Kind.INVALID);
                }
            }
        } catch (Stop stop) {
            return outcome(stop.kind);
        }
    }

    private Outcome outcome(Kind kind) {
        return new Outcome(kind, body.toByteArray(), pos);
    }

    private int next() {
        if (pos == in.length) {
            throw new Stop(Kind.TRUNCATED);
        }
        return in[pos++] & 0xff;
    }

    /** chunk-size [ chunk-ext ] CRLF */
    private long sizeLine() {
        int digits = 0;
        long size = 0;
        int c = next();
        while (Character.digit(c, 16) >= 0 && c < 0x80) {
            if (++digits > MAX_SIZE_DIGITS) {
                throw new Stop(Kind.INVALID);
            }
            size = size * 16 + Character.digit(c, 16);
            c = next();
        }
        if (digits == 0) {
            throw new Stop(Kind.INVALID);
        }
        if (c == ';' || c == ' ' || c == '\t') {
            extensions(c);
        } else if (c != '\r') {
            throw new Stop(Kind.INVALID);
        }
        if (next() != '\n') {
            throw new Stop(Kind.INVALID);
        }
        return size;
    }

    /** Reads the extensions after their first character, through the CR. */
    private void extensions(int first) {
        Ext state = first == ';' ? Ext.BEFORE_NAME : Ext.BEFORE_SEMICOLON;
        int length = 0;
        while (true) {
            if (++length > MAX_EXTENSION_BYTES) {
                throw new Stop(Kind.INVALID);
            }
            int c = next();
            boolean ws = c == ' ' || c == '\t';
            boolean tchar = isTchar(c);
            state = switch (state) {
                case BEFORE_SEMICOLON -> ws ? state : c == ';' ? Ext.BEFORE_NAME : invalid();
                case BEFORE_NAME -> ws ? state : tchar ? Ext.NAME : invalid();
                case NAME -> tchar ? state : ws ? Ext.AFTER_NAME : c == '=' ? Ext.BEFORE_VALUE : afterItem(c);
                case AFTER_NAME -> ws ? state : c == '=' ? Ext.BEFORE_VALUE : c == ';' ? Ext.BEFORE_NAME : invalid();
                case BEFORE_VALUE -> ws ? state : c == '"' ? Ext.QUOTED_VALUE : tchar ? Ext.TOKEN_VALUE : invalid();
                case TOKEN_VALUE -> tchar ? state : ws ? Ext.AFTER_VALUE : afterItem(c);
                case QUOTED_VALUE -> c == '"' ? Ext.AFTER_QUOTE : c == '\\' ? Ext.QUOTED_PAIR : qdtext(c);
                case QUOTED_PAIR -> c == '\t' || c == ' ' || (c > 0x20 && c != 0x7f) ? Ext.QUOTED_VALUE : invalid();
                case AFTER_QUOTE -> ws ? Ext.AFTER_VALUE : afterItem(c);
                case AFTER_VALUE -> ws ? state : c == ';' ? Ext.BEFORE_NAME : invalid();
            };
            if (state == null) {
                return; // the CR that ends the extensions
            }
        }
    }

    /** Right after a name or value: another extension, or the CR; null means the CR. */
    private static Ext afterItem(int c) {
        if (c == ';') {
            return Ext.BEFORE_NAME;
        }
        if (c == '\r') {
            return null;
        }
        return invalid();
    }

    /** qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (quote and backslash handled). */
    private static Ext qdtext(int c) {
        return c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f) ? Ext.QUOTED_VALUE : invalid();
    }

    private static Ext invalid() {
        throw new Stop(Kind.INVALID);
    }

    /** trailer-section CRLF, each line a field line within the byte budget and field count. */
    private void trailers() {
        int used = 0;
        int fields = 0;
        while (true) {
            int cap = Math.max(0, maxTrailerBytes - used);
            int start = pos;
            int lf = start;
            while (true) {
                if (lf == in.length) {
                    // no line end: a line that already cannot fit is refused, else more may come
                    throw new Stop(lf - start > cap + 1 ? Kind.INVALID : Kind.TRUNCATED);
                }
                int c = in[lf] & 0xff;
                if (c == '\n') {
                    if (lf == start || in[lf - 1] != '\r') {
                        throw new Stop(Kind.INVALID);
                    }
                    break;
                }
                if (c == '\r' && lf + 1 < in.length && in[lf + 1] != '\n') {
                    throw new Stop(Kind.INVALID);
                }
                lf++;
            }
            int end = lf - 1;
            if (end == start) {
                pos = lf + 1;
                return;
            }
            used += end - start + 2;
            if (used > maxTrailerBytes) {
                throw new Stop(Kind.INVALID);
            }
            checkFieldLine(start, end);
            if (fields == maxTrailerFields) {
                throw new Stop(Kind.INVALID);
            }
            fields++;
            pos = lf + 1;
        }
    }

    /** field-name ":" OWS field-value OWS, no obs-fold, no control characters but HTAB. */
    private void checkFieldLine(int start, int end) {
        int colon = start;
        while (colon < end && in[colon] != ':') {
            colon++;
        }
        if (colon == start || colon == end) {
            throw new Stop(Kind.INVALID);
        }
        for (int i = start; i < colon; i++) {
            if (!isTchar(in[i] & 0xff)) {
                throw new Stop(Kind.INVALID);
            }
        }
        for (int i = colon + 1; i < end; i++) {
            int c = in[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new Stop(Kind.INVALID);
            }
        }
    }

    /** tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA. */
    private static boolean isTchar(int c) {
        return (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c < 0x80 && TCHAR_SYMBOLS.indexOf(c) >= 0);
    }
}
