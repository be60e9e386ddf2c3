package dev.httpsd.server.http2;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.HttpRules;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fields of one response's header block: what the handler set (checked by {@link HttpRules},
 * counted against {@code maxRespHeaders}, lowercase as HTTP/2 requires), what the server adds, and
 * the block as it goes out in HEADERS. Connection-specific fields ({@code connection}, {@code
 * keep-alive}, {@code transfer-encoding} …) mean nothing in HTTP/2 and would make the response
 * malformed (RFC 9113 §8.2.2): they are dropped, and so is a {@code content-length} the handler
 * sets, the server writing its own.
 */
final class ResponseFields {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final ConnectionContext connection;
    private final List<HeaderField> fields = new ArrayList<>();
    private int userFields;
    private String contentType = "text/html";

    ResponseFields(ConnectionContext connection) {
        this.connection = connection;
    }

    /** The content type, checked as a header value; null for none. */
    void contentType(String contentType) {
        if (contentType != null) {
            HttpRules.checkHeaderValue("Content-Type", contentType);
        }
        this.contentType = contentType;
    }

    /** A field the handler sets: checked and counted; dropped when HTTP/2 has no use for it. */
    void add(String name, String value) {
        HttpRules.checkResponseHeader(name, value);
        if (userFields >= connection.config().maxRespHeaders()) {
            throw new HttpServerException(
                    HttpServerException.Reason.RESP_HDR,
                    "more than " + connection.config().maxRespHeaders() + " response headers (maxRespHeaders)");
        }
        userFields++;
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("content-type")) {
            contentType = value;
        } else if (RequestFields.isConnectionSpecific(lower) || lower.equals("content-length")) {
            LOG.log(Level.DEBUG, () -> connection + ": response field " + name + " dropped on HTTP/2");
        } else {
            fields.add(new HeaderField(lower, value));
        }
    }

    /** A field the server adds itself (405's allow): not counted against maxRespHeaders. */
    void addServerField(String name, String value) {
        fields.add(new HeaderField(name, value));
    }

    /**
     * The block for HEADERS: content type (unless the status has no body), content length (when
     * not negative), the server's {@code strict-transport-security}, then the other fields.
     */
    List<HeaderField> block(boolean bodyless, long contentLength) {
        List<HeaderField> block = new ArrayList<>(fields.size() + 2);
        if (contentType != null && !bodyless) {
            block.add(new HeaderField("content-type", contentType));
        }
        if (contentLength >= 0) {
            block.add(new HeaderField("content-length", Long.toString(contentLength)));
        }
        String hsts = connection.config().strictTransportSecurity();
        if (hsts != null) {
            // as on HTTP/1.1: every response the server writes carries the policy (RFC 6797)
            block.add(new HeaderField("strict-transport-security", hsts));
        }
        block.addAll(fields);
        return block;
    }
}
