package dev.httpsd.server.http1;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.EventSink;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpRules;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.http1.ResponseHead.Framing;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes one response ({@code httpd_resp_*}) in one of its framings: {@link #send} with a
 * Content-Length; {@link #sendChunk} with chunked transfer coding (a raw body, then the close, for
 * HTTP/1.0 clients, which cannot read chunks); {@link #sendRaw} without framing. A small response
 * goes out in one transport write (one TLS record) with its head. Status and headers are the
 * connection's {@link ResponseHead}; whether the connection persists is its {@link Persistence}.
 */
public final class Response implements HttpResponse {

    /** Bodies up to this size are copied behind the head and sent in one write. */
    private static final int COALESCE_LIMIT = 16 * 1024;

    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private enum Mode {
        NONE,
        FIXED,
        CHUNKED,
        RAW,
        FINISHED
    }

    private final HttpRequest request;
    private final ConnectionContext connection;
    private final Persistence persistence;
    private final ErrorResponder errors;
    private final ResponseHead head;
    private final boolean http10;
    private Mode mode = Mode.NONE;
    private boolean noBody;
    private OutputStream stream;
    private long bodyBytesSent;

    /**
     * @param request the request answered, for custom error handlers
     * @param head the connection's response head, begun for this response
     */
    Response(
            HttpRequest request,
            ConnectionContext connection,
            Persistence persistence,
            ErrorResponder errors,
            ResponseHead head,
            boolean http10) {
        this.request = request;
        this.connection = connection;
        this.persistence = persistence;
        this.errors = errors;
        this.head = head;
        this.http10 = http10;
    }

    @Override
    public HttpResponse status(int code) {
        requireNotCommitted("status");
        head.status(HttpRules.statusLine(code), code);
        return this;
    }

    @Override
    public HttpResponse status(String statusLine) {
        Objects.requireNonNull(statusLine, "statusLine");
        requireNotCommitted("status");
        head.status(statusLine, HttpRules.statusCode(statusLine));
        return this;
    }

    @Override
    public HttpResponse contentType(String contentType) {
        requireNotCommitted("content type");
        head.contentType(contentType);
        return this;
    }

    @Override
    public HttpResponse header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        requireNotCommitted("headers");
        head.header(name, value);
        return this;
    }

    /** A header the server adds itself (405's Allow): not counted against maxRespHeaders. */
    public void serverHeader(String name, String value) {
        requireNotCommitted("headers");
        head.serverHeader(name, value);
    }

    @Override
    public void send(byte[] body, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(body, "body").length);
        OutputBuffer out = beginFixed(length);
        boolean sendBody = !noBody && !head.bodyless();
        // one call, one unbroken byte sequence: no other thread's send between head and body
        connection.writeLock().lock();
        try {
            if (sendBody && length <= COALESCE_LIMIT) {
                out.write(body, offset, length);
                connection.send(out.array(), 0, out.size());
                headersSent();
            } else {
                connection.send(out.array(), 0, out.size());
                headersSent();
                if (sendBody) {
                    connection.send(body, offset, length);
                }
            }
        } finally {
            connection.writeLock().unlock();
        }
        mode = Mode.FINISHED;
        bodyBytesSent += sendBody ? length : 0;
        dataSent(sendBody ? length : 0);
    }

    @Override
    public void sendFile(FileChannel file, long position, long length) throws IOException {
        HttpRules.requireFileRange(Objects.requireNonNull(file, "file"), position, length);
        OutputBuffer out = beginFixed(length);
        boolean sendBody = !noBody && !head.bodyless();
        connection.writeLock().lock();
        try {
            connection.send(out.array(), 0, out.size());
            headersSent();
            if (sendBody && length > 0) {
                connection.sendFile(file, position, length);
            }
        } catch (EOFException e) {
            // the file shrank: the Content-Length sent cannot be met, only a close tells the client
            persistence.closeAfterResponse();
            throw e;
        } finally {
            connection.writeLock().unlock();
        }
        mode = Mode.FINISHED;
        long sent = sendBody ? length : 0;
        bodyBytesSent += sent;
        do {
            int piece = (int) Math.min(sent, Integer.MAX_VALUE);
            dataSent(piece);
            sent -= piece;
        } while (sent > 0);
    }

    /**
     * Starts a response whose body length is known: its head, framed by Content-Length (no framing
     * for a bodyless status).
     */
    private OutputBuffer beginFixed(long length) {
        if (mode != Mode.NONE) {
            throw new IllegalStateException(
                    "response already sent (" + mode.name().toLowerCase(Locale.ROOT) + ")");
        }
        boolean bodyless = head.bodyless();
        if (bodyless && length > 0 && head.statusCode() != 304) {
            throw new IllegalArgumentException("a " + head.statusCode() + " response has no body");
        }
        mode = Mode.FIXED;
        return head.write(bodyless ? Framing.NONE : Framing.FIXED, length);
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
        boolean bodyless = head.bodyless();
        boolean framed = !http10;
        boolean first = mode == Mode.NONE;
        OutputBuffer out;
        if (first) {
            mode = Mode.CHUNKED;
            if (!framed) {
                // HTTP/1.0 cannot read chunks: send the raw body and mark its end by closing
                persistence.closeAfterResponse();
            }
            // the head travels with the first chunk
            out = head.write(bodyless ? Framing.NONE : framed ? Framing.CHUNKED : Framing.UNTIL_CLOSE, -1);
        } else {
            out = head.buffer();
            out.reset();
        }
        boolean last = length == 0;
        boolean sendBody = !noBody && !bodyless;
        // one chunk, one unbroken byte sequence: its size line, data and CRLF stay together
        connection.writeLock().lock();
        try {
            if (sendBody && !last) {
                if (framed) {
                    out.hex(length).crlf();
                }
                if (length <= COALESCE_LIMIT) {
                    out.write(chunk, offset, length);
                } else {
                    connection.send(out.array(), 0, out.size());
                    out.reset();
                    connection.send(chunk, offset, length);
                }
                if (framed) {
                    out.write(CRLF);
                }
            } else if (sendBody && framed) {
                out.write(LAST_CHUNK);
            }
            if (out.size() > 0) {
                connection.send(out.array(), 0, out.size());
            }
        } finally {
            connection.writeLock().unlock();
        }
        out.reset();
        if (first) {
            headersSent();
        }
        if (last) {
            mode = Mode.FINISHED;
        }
        bodyBytesSent += sendBody ? length : 0;
        dataSent(sendBody ? length : 0);
    }

    @Override
    public void sendChunk(String chunk) throws IOException {
        sendChunk(chunk == null ? new byte[0] : chunk.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendError(HttpError error, String message) throws IOException {
        Objects.requireNonNull(error, "error");
        sendErrorBody(error.statusLine(), message == null ? error.defaultMessage() : message);
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            events.post(new HttpServerEvent.Error(session.id(), session.remoteAddress(), error));
        }
    }

    @Override
    public boolean handleError(HttpError error) throws IOException {
        Objects.requireNonNull(error, "error");
        return errors.handleError(request, this, error);
    }

    @Override
    public void sendCustomError(String statusLine, String message) throws IOException {
        HttpRules.statusCode(Objects.requireNonNull(statusLine, "statusLine"));
        sendErrorBody(statusLine, message == null ? "" : message);
    }

    private void sendErrorBody(String status, String message) throws IOException {
        if (mode != Mode.NONE) {
            throw new IllegalStateException("cannot send an error: the response was already started");
        }
        head.status(status, Integer.parseInt(status, 0, 3, 10));
        head.contentType("text/html");
        send(message);
    }

    @Override
    public int sendRaw(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        if (mode == Mode.NONE) {
            mode = Mode.RAW;
        }
        connection.send(buffer, offset, length);
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
        persistence.closeAfterResponse();
    }

    @Override
    public boolean isCommitted() {
        return mode != Mode.NONE;
    }

    int statusCode() {
        return head.statusCode();
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

    private void headersSent() {
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            events.post(new HttpServerEvent.HeadersSent(session.id(), session.remoteAddress()));
        }
    }

    private void dataSent(int length) {
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            events.post(new HttpServerEvent.SentData(session.id(), session.remoteAddress(), length));
        }
    }

    private void requireNotCommitted(String what) {
        if (mode != Mode.NONE) {
            throw new IllegalStateException("cannot set " + what + ": the response head was already sent");
        }
    }
}
