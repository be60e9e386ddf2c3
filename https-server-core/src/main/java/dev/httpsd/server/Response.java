package dev.httpsd.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes one response. Framing: {@link #send} uses Content-Length; {@link #sendChunk} uses chunked
 * transfer coding (raw body then close for HTTP/1.0 clients, which cannot read chunks). A small
 * response goes out in one transport write (one TLS record) with its head.
 *
 * <p>The headers that frame the message or manage the connection are the server's, so that a
 * response never carries two of them: a handler's {@code Content-Length} or {@code
 * Transfer-Encoding} is refused, its {@code Connection} tokens join the server's one {@code
 * Connection} header ({@code close} closes the session), its {@code Date} and {@code Content-Type}
 * replace the server's.
 */
final class Response implements HttpResponse {

    /** Bodies up to this size are copied behind the head and sent in one write. */
    private static final int COALESCE_LIMIT = 16 * 1024;

    private static final byte[] HTTP11 = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private enum Mode {
        NONE,
        FIXED,
        CHUNKED,
        RAW,
        FINISHED
    }

    private final Exchange exchange;
    private final Session session;
    private final int maxHeaders;
    private String statusLine = "200 OK";
    private int statusCode = 200;
    private String contentType = "text/html";
    private String date;
    private String connectionTokens;
    private List<String> headerLines;
    private int userHeaders;
    private Mode mode = Mode.NONE;
    private boolean closeRequested;
    private boolean closeAnnounced;
    private boolean noBody;
    private OutputStream stream;
    private long bodyBytesSent;

    Response(Exchange exchange, Session session, int maxHeaders) {
        this.exchange = exchange;
        this.session = session;
        this.maxHeaders = maxHeaders;
    }

    @Override
    public HttpResponse status(int code) {
        return setStatus(StatusLines.forCode(code), code);
    }

    @Override
    public HttpResponse status(String statusLine) {
        Objects.requireNonNull(statusLine, "statusLine");
        return setStatus(statusLine, StatusLines.validate(statusLine));
    }

    private HttpResponse setStatus(String line, int code) {
        requireNotCommitted("status");
        this.statusLine = line;
        this.statusCode = code;
        return this;
    }

    @Override
    public HttpResponse contentType(String contentType) {
        requireNotCommitted("content type");
        if (contentType != null) {
            HttpRules.checkHeaderValue("Content-Type", contentType);
        }
        this.contentType = contentType;
        return this;
    }

    @Override
    public HttpResponse header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        requireNotCommitted("headers");
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
            default -> addHeaderLine(name + ": " + value);
        }
        return this;
    }

    /**
     * Whether the connection persists is the server's decision, announced in its one Connection
     * header: {@code close} asks for it, {@code keep-alive} cannot overrule a client or an error
     * that ends the connection, and other tokens (hop-by-hop header names) are passed on.
     */
    private void connection(String value) {
        for (String token : value.split(",")) {
            String option = token.strip();
            if (option.equalsIgnoreCase("close")) {
                closeSession();
            } else if (!option.isEmpty() && !option.equalsIgnoreCase("keep-alive")) {
                connectionTokens = connectionTokens == null ? option : connectionTokens + ", " + option;
            }
        }
    }

    /** A header the server adds itself (405's Allow): not counted against maxRespHeaders. */
    void serverHeader(String name, String value) {
        requireNotCommitted("headers");
        addHeaderLine(name + ": " + value);
    }

    private void addHeaderLine(String line) {
        if (headerLines == null) {
            headerLines = new ArrayList<>(4);
        }
        headerLines.add(line);
    }

    @Override
    public void send(byte[] body, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(body, "body").length);
        if (mode != Mode.NONE) {
            throw new IllegalStateException(
                    "response already sent (" + mode.name().toLowerCase() + ")");
        }
        boolean bodyless = bodyless();
        if (bodyless && length > 0 && statusCode != 304) {
            throw new IllegalArgumentException("a " + statusCode + " response has no body");
        }
        mode = Mode.FIXED;
        ByteSink out = session.outputBuffer();
        writeHead(out, bodyless ? -2 : length, false);
        boolean sendBody = !noBody && !bodyless;
        // one call, one unbroken byte sequence: no other thread's send between head and body
        session.writeLock().lock();
        try {
            if (sendBody && length <= COALESCE_LIMIT) {
                out.write(body, offset, length);
                session.sendAll(out.array(), 0, out.size());
                exchange.headersSent();
            } else {
                session.sendAll(out.array(), 0, out.size());
                exchange.headersSent();
                if (sendBody) {
                    session.sendAll(body, offset, length);
                }
            }
        } finally {
            session.writeLock().unlock();
        }
        mode = Mode.FINISHED;
        bodyBytesSent += sendBody ? length : 0;
        exchange.dataSent(sendBody ? length : 0);
    }

    @Override
    public void send(String body) throws IOException {
        send(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendChunk(byte[] chunk, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(chunk, "chunk").length);
        if (mode == Mode.FINISHED || mode == Mode.FIXED || mode == Mode.RAW) {
            throw new IllegalStateException("response already complete");
        }
        boolean bodyless = bodyless();
        boolean framed = !exchange.head().http10;
        ByteSink out = session.outputBuffer();
        boolean first = mode == Mode.NONE;
        if (first) {
            mode = Mode.CHUNKED;
            if (!framed) {
                // HTTP/1.0 cannot read chunks: send the raw body and mark its end by closing
                closeRequested = true;
            }
            // the head travels with the first chunk
            writeHead(out, bodyless ? -2 : -1, framed && !bodyless);
        } else {
            out.reset();
        }
        boolean last = length == 0;
        boolean sendBody = !noBody && !bodyless;
        // one chunk, one unbroken byte sequence: its size line, data and CRLF stay together
        session.writeLock().lock();
        try {
            if (sendBody && !last) {
                if (framed) {
                    out.hex(length).crlf();
                }
                if (length <= COALESCE_LIMIT) {
                    out.write(chunk, offset, length);
                } else {
                    session.sendAll(out.array(), 0, out.size());
                    out.reset();
                    session.sendAll(chunk, offset, length);
                }
                if (framed) {
                    out.write(CRLF);
                }
            } else if (sendBody && framed) {
                out.write(LAST_CHUNK);
            }
            if (out.size() > 0) {
                session.sendAll(out.array(), 0, out.size());
            }
        } finally {
            session.writeLock().unlock();
        }
        out.reset();
        if (first) {
            exchange.headersSent();
        }
        if (last) {
            mode = Mode.FINISHED;
        }
        bodyBytesSent += sendBody ? length : 0;
        exchange.dataSent(sendBody ? length : 0);
    }

    @Override
    public void sendChunk(String chunk) throws IOException {
        sendChunk(chunk == null ? new byte[0] : chunk.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendError(HttpError error, String message) throws IOException {
        Objects.requireNonNull(error, "error");
        sendErrorBody(error.statusLine(), message == null ? error.defaultMessage() : message);
        exchange.errorSent(error);
    }

    @Override
    public boolean handleError(HttpError error) throws IOException {
        Objects.requireNonNull(error, "error");
        boolean keep = exchange.answerError(error, true, false);
        if (!keep) {
            closeSession();
        }
        return keep;
    }

    @Override
    public void sendCustomError(String statusLine, String message) throws IOException {
        StatusLines.validate(Objects.requireNonNull(statusLine, "statusLine"));
        sendErrorBody(statusLine, message == null ? "" : message);
    }

    private void sendErrorBody(String status, String message) throws IOException {
        if (mode != Mode.NONE) {
            throw new IllegalStateException("cannot send an error: the response was already started");
        }
        this.statusLine = status;
        this.statusCode = Integer.parseInt(status, 0, 3, 10);
        this.contentType = "text/html";
        send(message);
    }

    @Override
    public int sendRaw(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        if (mode == Mode.NONE) {
            mode = Mode.RAW;
        }
        session.sendAll(buffer, offset, length);
        return length;
    }

    @Override
    public OutputStream outputStream() {
        if (stream == null) {
            stream = new ChunkedOutputStream(this);
        }
        return stream;
    }

    @Override
    public void closeSession() {
        closeRequested = true;
    }

    @Override
    public boolean isCommitted() {
        return mode != Mode.NONE;
    }

    boolean closeRequested() {
        return closeRequested;
    }

    /** Whether the client was told {@code Connection: close}. */
    boolean closeAnnounced() {
        return closeAnnounced;
    }

    int statusCode() {
        return statusCode;
    }

    long bodyBytesSent() {
        return bodyBytesSent;
    }

    boolean finished() {
        return mode == Mode.FINISHED || mode == Mode.RAW;
    }

    /** Completes whatever the handler left open: an empty response, or the last chunk. */
    void finish() throws IOException {
        if (stream != null && mode != Mode.FINISHED) {
            stream.close();
        }
        if (mode == Mode.NONE) {
            send(new byte[0]);
        } else if (mode == Mode.CHUNKED) {
            sendChunk(new byte[0]);
        }
    }

    /** HEAD requests get the head of the response only. */
    void suppressBody() {
        this.noBody = true;
    }

    private boolean bodyless() {
        return statusCode < 200 || statusCode == 204 || statusCode == 304;
    }

    /**
     * @param contentLength the length, -1 for chunked or close-delimited, -2 for no body framing
     */
    private void writeHead(ByteSink out, long contentLength, boolean chunked) {
        out.reset();
        out.write(HTTP11).latin1(statusLine).crlf();
        if (contentType != null && contentLength != -2) {
            out.latin1("Content-Type: ").latin1(contentType).crlf();
        }
        if (contentLength >= 0) {
            out.latin1("Content-Length: ").decimal(contentLength).crlf();
        } else if (chunked) {
            out.latin1("Transfer-Encoding: chunked").crlf();
        }
        if (date == null) {
            out.write(HttpDate.headerLine());
        } else {
            out.latin1("Date: ").latin1(date).crlf();
        }
        String persistence = null;
        if (exchange.closesAfterResponse()) {
            persistence = "close";
            closeAnnounced = true;
        } else if (exchange.head().http10) {
            persistence = "keep-alive";
        }
        if (connectionTokens != null) {
            out.latin1("Connection: ");
            if (persistence != null) {
                out.latin1(persistence).latin1(", ");
            }
            out.latin1(connectionTokens).crlf();
        } else if (persistence != null) {
            out.latin1("Connection: ").latin1(persistence).crlf();
        }
        if (headerLines != null) {
            for (String line : headerLines) {
                out.latin1(line).crlf();
            }
        }
        out.crlf();
    }

    private void requireNotCommitted(String what) {
        if (mode != Mode.NONE) {
            throw new IllegalStateException("cannot set " + what + ": the response head was already sent");
        }
    }
}
