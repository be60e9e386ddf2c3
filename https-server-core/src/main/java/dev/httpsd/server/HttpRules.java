package dev.httpsd.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules the server applies to what handlers read and write: status lines, response header
 * fields, the part of a file sent, cookies, query values and URI template variables. Public so that code standing in for the server (the mock
 * requests and responses of {@code https-server-test}) applies these rules rather than copies of
 * them.
 */
public final class HttpRules {

    private HttpRules() {}

    /**
     * The status line {@link HttpResponse#status(int)} sets, e.g. {@code "404 Not Found"}; an
     * unknown code has no reason phrase.
     *
     * @throws IllegalArgumentException when the code does not have three digits
     */
    public static String statusLine(int code) {
        return StatusLines.forCode(code);
    }

    /**
     * The code of a status line {@link HttpResponse#status(String)} accepts.
     *
     * @throws IllegalArgumentException when it does not start with a three-digit code, or contains
     *     a control or non-Latin-1 character
     */
    public static int statusCode(String statusLine) {
        return StatusLines.validate(statusLine);
    }

    /**
     * Checks a header a handler sets ({@link HttpResponse#header}): the name is an HTTP token and
     * not one of the framing headers the server owns, the value is Latin-1 text without CR, LF or
     * NUL.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void checkResponseHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!isToken(name)) {
            throw new IllegalArgumentException("header name is not an HTTP token: " + name);
        }
        checkHeaderValue(name, value);
        String lowerCase = name.toLowerCase(Locale.ROOT);
        if (lowerCase.equals("content-length") || lowerCase.equals("transfer-encoding")) {
            throw new IllegalArgumentException(name + " is set by the server: send(body) sends a Content-Length,"
                    + " sendChunk() and outputStream() use chunked transfer coding");
        }
    }

    /** A non-empty run of token characters (RFC 9110 §5.6.2). */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alphanumeric = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a response header value: Latin-1 text without CR, LF or NUL.
     *
     * @throws IllegalArgumentException naming the header
     */
    public static void checkHeaderValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("CR, LF or NUL in the value of header " + name + " refused");
            }
            if (c > 0xff) {
                throw new IllegalArgumentException("header " + name + " value is not ISO-8859-1 text");
            }
        }
    }

    /**
     * A cookie's value in a {@code Cookie} header, as {@link HttpRequest#cookie} finds it ({@code
     * httpd_req_get_cookie_val}): pairs separated by {@code ;}, the name case-insensitive, quotes
     * around the value removed.
     */
    public static Optional<String> cookie(String cookieHeader, String name) {
        return QueryStrings.cookie(cookieHeader, Objects.requireNonNull(name, "name"));
    }

    /**
     * Decodes a query value as {@link HttpRequest#decodedQueryValue} does: {@code %XX} escapes as
     * UTF-8, {@code +} as a space, a malformed escape kept as it is.
     */
    public static String decodeQueryValue(String raw) {
        return QueryStrings.decode(Objects.requireNonNull(raw, "raw"));
    }

    /**
     * The variables a {@linkplain UriMatcher#template() URI template} takes from a request path, as
     * {@link HttpRequest#pathVariables} gives them to the handler registered with that template: in
     * template order, percent-decoded as UTF-8 ({@code +} stays a plus), a rest variable ({@code
     * {*rest}}) with the leading {@code /} of what it took. A URI without braces matches only
     * itself and has no variables.
     *
     * @param template the URI a handler is registered with, e.g. {@code /items/{id}}
     * @param path the request path, query excluded, not percent-decoded
     * @return empty when the template does not match the path (the server would not route the
     *     request to that handler)
     * @throws IllegalArgumentException when braces are used other than as whole-segment variables
     *     and one trailing rest variable, as the server refuses when registering
     */
    public static Optional<Map<String, String>> pathVariables(String template, String path) {
        UriTemplate compiled = UriTemplate.compile(Objects.requireNonNull(template, "template"));
        PathVariables captured = compiled.capture(Objects.requireNonNull(path, "path"));
        return captured == null ? Optional.empty() : Optional.of(captured.asMap());
    }

    /**
     * Checks the part of a file {@link HttpResponse#sendFile(FileChannel, long, long)} is asked to
     * send: it must lie within the file as it is now.
     *
     * @throws IllegalArgumentException when {@code position} or {@code length} is negative, or the
     *     part ends past the file's end
     * @throws IOException when the file's size cannot be read
     */
    public static void requireFileRange(FileChannel file, long position, long length) throws IOException {
        long size = file.size();
        if (position < 0 || length < 0 || position > size - length) {
            throw new IllegalArgumentException(
                    "cannot send " + length + " bytes from byte " + position + " of a file of " + size + " bytes");
        }
    }
}
