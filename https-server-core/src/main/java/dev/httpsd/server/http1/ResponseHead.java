package dev.httpsd.server.http1;

import dev.httpsd.server.HttpRules;
import dev.httpsd.server.HttpServerException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status and headers of the response being written on a connection, checked as they are set
 * and serialised into the connection's output buffer. One instance serves a connection's responses
 * in turn ({@link #begin}), so a response costs no header object of its own.
 *
 * <p>The headers that frame the message or manage the connection are the server's, so that a
 * response never carries two of them: a handler's {@code Content-Length} or {@code
 * Transfer-Encoding} is refused, its {@code Connection} tokens join the server's one {@code
 * Connection} header ({@code close} closes the session), its {@code Date} and {@code Content-Type}
 * replace the server's.
 */
final class ResponseHead {

    /** How the head frames the body that follows it. */
    enum Framing {
        /** {@code Content-Length}. */
        FIXED,
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** Neither: the body ends when the connection closes (HTTP/1.0 cannot read chunks). */
        UNTIL_CLOSE,
        /** A status that has no body (1xx, 204, 304): no framing, no content type. */
        NONE
    }

    /** The response buffer a request starts with; it grows for large heads and small bodies. */
    private static final int IDLE_OUTPUT = 512;

    private static final byte[] HTTP11 = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);

    private final Persistence persistence;
    private final int maxHeaders;
    /** The Strict-Transport-Security value every response carries, or null (plain HTTP, HSTS off). */
    private final String strictTransportSecurity;

    private final List<String> headerLines = new ArrayList<>(4);
    private OutputBuffer out;
    private String statusLine;
    private int statusCode;
    private String contentType;
    private String date;
    private String connectionTokens;
    private int userHeaders;

    ResponseHead(Persistence persistence, int maxHeaders, String strictTransportSecurity) {
        this.persistence = persistence;
        this.maxHeaders = maxHeaders;
        this.strictTransportSecurity = strictTransportSecurity;
    }

    /** A new response: {@code 200 OK}, {@code text/html}, as in ESP. */
    void begin() {
        statusLine = "200 OK";
        statusCode = 200;
        contentType = "text/html";
        date = null;
        connectionTokens = null;
        headerLines.clear();
        userHeaders = 0;
    }

    /** The connection's buffer for heads, small bodies and chunk framing. */
    OutputBuffer buffer() {
        if (out == null) {
            out = new OutputBuffer(IDLE_OUTPUT);
        }
        return out;
    }

    void status(String line, int code) {
        this.statusLine = line;
        this.statusCode = code;
    }

    int statusCode() {
        return statusCode;
    }

    /** A status that carries no body (1xx, 204, 304). */
    boolean bodyless() {
        return statusCode < 200 || statusCode == 204 || statusCode == 304;
    }

    void contentType(String contentType) {
        if (contentType != null) {
            HttpRules.checkHeaderValue("Content-Type", contentType);
        }
        this.contentType = contentType;
    }

    /** A handler's header ({@code httpd_resp_set_hdr}), checked and counted. */
    void header(String name, String value) {
        HttpRules.checkResponseHeader(name, value);
        String lowerCase = name.toLowerCase(Locale.ROOT);
        if (userHeaders >= maxHeaders) {
            throw new HttpServerException(
                    HttpServerException.Reason.RESP_HDR,
                    "more than " + maxHeaders + " response headers (maxRespHeaders)");
        }
        userHeaders++;
        switch (lowerCase) {
            case "content-type" -> this.contentType = value;
            case "date" -> this.date = value;
            case "connection" -> connection(value);
            default -> headerLines.add(name + ": " + value);
        }
    }

    /** A header the server adds itself (405's Allow): not counted against maxRespHeaders. */
    void serverHeader(String name, String value) {
        headerLines.add(name + ": " + value);
    }

    /**
     * Whether the connection persists is the server's decision, announced in its one Connection
     * header: {@code close} asks for it, {@code keep-alive} cannot overrule a client or an error
     * that ends the connection, and other tokens (hop-by-hop header names) are passed on.
     */
    private void connection(String value) {
        for (String option : HeaderBlock.elements(value)) {
            if (option.equalsIgnoreCase("close")) {
                persistence.closeAfterResponse();
            } else if (!option.equalsIgnoreCase("keep-alive")) {
                connectionTokens = connectionTokens == null ? option : connectionTokens + ", " + option;
            }
        }
    }

    /** Serialises the head into the buffer, from its start, announcing the connection's persistence. */
    OutputBuffer write(Framing framing, long contentLength) {
        OutputBuffer out = buffer();
        out.reset();
        out.write(HTTP11).latin1(statusLine).crlf();
        if (contentType != null && framing != Framing.NONE) {
            out.latin1("Content-Type: ").latin1(contentType).crlf();
        }
        if (framing == Framing.FIXED) {
            out.latin1("Content-Length: ").decimal(contentLength).crlf();
        } else if (framing == Framing.CHUNKED) {
            out.latin1("Transfer-Encoding: chunked").crlf();
        }
        if (date == null) {
            out.write(HttpDate.headerLine());
        } else {
            out.latin1("Date: ").latin1(date).crlf();
        }
        String persistence = this.persistence.announce();
        if (connectionTokens != null) {
            out.latin1("Connection: ");
            if (persistence != null) {
                out.latin1(persistence).latin1(", ");
            }
            out.latin1(connectionTokens).crlf();
        } else if (persistence != null) {
            out.latin1("Connection: ").latin1(persistence).crlf();
        }
        if (strictTransportSecurity != null) {
            out.latin1("Strict-Transport-Security: ")
                    .latin1(strictTransportSecurity)
                    .crlf();
        }
        for (int i = 0; i < headerLines.size(); i++) {
            out.latin1(headerLines.get(i)).crlf();
        }
        return out.crlf();
    }
}
