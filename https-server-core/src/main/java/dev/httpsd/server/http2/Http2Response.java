package dev.httpsd.server.http2;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.EventSink;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpRules;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.HttpSession;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The response of one stream: {@code send} is HEADERS and DATA ending the stream, {@code sendChunk}
 * HEADERS then a DATA frame per chunk (HTTP/2 has no chunked framing), the empty chunk ending the
 * stream. DATA waits for flow-control credit on the stream and the connection; a stream that waits
 * longer than the send timeout is reset (CANCEL) and its handler gets a timeout, the connection
 * living on. Used by the stream's handler thread only (or the thread that completes it).
 */
final class Http2Response implements HttpResponse {

    private static final byte[] EMPTY = new byte[0];
    /** Bodies up to this size travel with their HEADERS in one batch when the windows allow them at once. */
    private static final int SMALL_BODY = 1024;

    private enum Mode {
        NONE,
        STREAMING,
        FINISHED
    }

    private final Http2Stream stream;
    private final Http2Protocol protocol;
    private final ConnectionContext connection;
    private final ResponseFields fields;
    private final DataFrames frames;
    private int status = 200;
    private Mode mode = Mode.NONE;
    private boolean noBody;
    private boolean closeAfter;
    private boolean bodyTimedOut;
    private long bodyBytesSent;
    private OutputStream out;

    Http2Response(Http2Stream stream, ConnectionContext connection) {
        this.stream = stream;
        this.protocol = stream.connectionProtocol();
        this.connection = connection;
        this.fields = new ResponseFields(connection);
        this.frames = new DataFrames(stream, protocol, connection);
    }

    @Override
    public HttpResponse status(int code) {
        requireNotCommitted("status");
        HttpRules.statusLine(code);
        status = code;
        return this;
    }

    /** The reason phrase is dropped: HTTP/2 carries the code only (RFC 9113 §8.3.2). */
    @Override
    public HttpResponse status(String statusLine) {
        Objects.requireNonNull(statusLine, "statusLine");
        requireNotCommitted("status");
        status = HttpRules.statusCode(statusLine);
        return this;
    }

    @Override
    public HttpResponse contentType(String contentType) {
        requireNotCommitted("content type");
        fields.contentType(contentType);
        return this;
    }

    /**
     * Connection-specific fields ({@code connection}, {@code keep-alive}, {@code transfer-encoding}
     * …) mean nothing in HTTP/2 and would make the response malformed (§8.2.2): they are dropped.
     */
    @Override
    public HttpResponse header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        requireNotCommitted("headers");
        fields.add(name, value);
        return this;
    }

    /** A field the server adds itself (405's allow): not counted against maxRespHeaders. */
    void serverHeader(String name, String value) {
        fields.addServerField(name, value);
    }

    @Override
    public void send(byte[] body, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(body, "body").length);
        boolean sendBody = beginWhole(length);
        if (sendBody && length <= SMALL_BODY && writeWhole(body, offset, length)) {
            return;
        }
        writeHeaders(bodyless() ? -1 : length, !sendBody);
        if (sendBody) {
            writeData(body, offset, length, true);
        }
    }

    @Override
    public void sendFile(FileChannel file, long position, long length) throws IOException {
        HttpRules.requireFileRange(Objects.requireNonNull(file, "file"), position, length);
        boolean sendBody = beginWhole(length);
        writeHeaders(bodyless() ? -1 : length, !sendBody);
        if (sendBody) {
            FileData.send(file, position, length, protocol.writer.peerMaxFrameSize(), frames::write);
            dataSent(length);
        }
    }

    /** Starts a response sent whole: whether its body goes out (not for HEAD or a bodyless status). */
    private boolean beginWhole(long length) {
        if (mode != Mode.NONE) {
            throw new IllegalStateException("response already sent");
        }
        boolean bodyless = bodyless();
        if (bodyless && length > 0 && status != 304) {
            throw new IllegalArgumentException("a " + status + " response has no body");
        }
        mode = Mode.FINISHED;
        return !noBody && !bodyless && length > 0;
    }

    @Override
    public void send(String body) throws IOException {
        send(body == null ? EMPTY : body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendChunk(byte[] chunk, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(chunk, "chunk").length);
        if (mode == Mode.FINISHED) {
            throw new IllegalStateException("response already complete");
        }
        boolean last = length == 0;
        boolean sendBody = !noBody && !bodyless();
        if (mode == Mode.NONE) {
            mode = Mode.STREAMING;
            writeHeaders(-1, !sendBody);
        }
        if (last) {
            mode = Mode.FINISHED;
        }
        if (sendBody) {
            writeData(chunk, offset, length, last);
        }
    }

    @Override
    public void sendChunk(String chunk) throws IOException {
        sendChunk(chunk == null ? EMPTY : chunk.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendError(HttpError error, String message) throws IOException {
        Objects.requireNonNull(error, "error");
        sendErrorBody(error.status(), message == null ? error.defaultMessage() : message);
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            events.post(new HttpServerEvent.Error(session.id(), session.remoteAddress(), error));
        }
    }

    /** A custom error handler, else the default page; the connection stays (only the stream ends). */
    @Override
    public boolean handleError(HttpError error) throws IOException {
        Objects.requireNonNull(error, "error");
        var custom = connection.errorHandler(error);
        boolean keep = true;
        if (custom != null) {
            try {
                keep = custom.handle(stream, this, error);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("error handler for " + error.status() + " failed", e);
            }
        }
        if (!isCommitted()) {
            sendError(error, null);
        }
        return keep;
    }

    @Override
    public void sendCustomError(String statusLine, String message) throws IOException {
        int code = HttpRules.statusCode(Objects.requireNonNull(statusLine, "statusLine"));
        sendErrorBody(code, message == null ? "" : message);
    }

    private void sendErrorBody(int code, String message) throws IOException {
        if (mode != Mode.NONE) {
            throw new IllegalStateException("cannot send an error: the response was already started");
        }
        status = code;
        fields.contentType("text/html");
        send(message);
    }

    /** HTTP/2 frames every byte: raw HTTP/1.1 bytes cannot be written on a stream. */
    @Override
    public int sendRaw(byte[] buffer, int offset, int length) {
        throw new UnsupportedOperationException(
                "sendRaw writes HTTP/1.1 bytes and is not available on an HTTP/2 stream; use send or sendChunk");
    }

    @Override
    public OutputStream outputStream() {
        if (out == null) {
            out = new Http2ResponseStream(this);
        }
        return out;
    }

    /** The connection closes (GOAWAY, then the socket) once this stream's response is complete. */
    @Override
    public void closeSession() {
        closeAfter = true;
    }

    @Override
    public boolean isCommitted() {
        return mode != Mode.NONE;
    }

    // ---- for the stream -------------------------------------------------------------------------

    void suppressBody() {
        noBody = true;
    }

    /** Whether the stream has ended on our side: the whole response is written. */
    boolean finished() {
        return mode == Mode.FINISHED;
    }

    boolean closeAfter() {
        return closeAfter;
    }

    boolean bodyTimedOut() {
        return bodyTimedOut;
    }

    void bodyTimedOut(boolean timedOut) {
        bodyTimedOut = timedOut;
    }

    int statusCode() {
        return status;
    }

    long bodyBytesSent() {
        return bodyBytesSent;
    }

    /** Completes what the handler left open: an empty response, or the end of the stream. */
    void finish() throws IOException {
        if (mode == Mode.NONE) {
            send(EMPTY);
        } else if (mode == Mode.STREAMING) {
            sendChunk(EMPTY, 0, 0);
        }
    }

    /** An interim (1xx) response: a HEADERS frame that does not end the stream. */
    void sendInterim(int code) throws IOException {
        protocol.lock.lock();
        try {
            DataFrames.requireOpen(stream);
        } finally {
            protocol.lock.unlock();
        }
        protocol.writer.headers(stream.id(), code, List.of(), false);
    }

    // ---- frames ---------------------------------------------------------------------------------

    private boolean bodyless() {
        return status < 200 || status == 204 || status == 304;
    }

    private void writeHeaders(long contentLength, boolean endStream) throws IOException {
        List<HeaderField> block = fields.block(bodyless(), contentLength);
        protocol.lock.lock();
        try {
            DataFrames.requireOpen(stream);
            stream.lifecycle().sendHeaders(endStream);
            protocol.closeIfDone(stream);
        } finally {
            protocol.lock.unlock();
        }
        protocol.writer.headers(stream.id(), status, block, endStream);
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            events.post(new HttpServerEvent.HeadersSent(session.id(), session.remoteAddress(), stream.id()));
        }
    }

    /**
     * A small response whole: HEADERS and its one DATA frame written together, when both windows
     * hold credit for all of it now (no wait).
     *
     * @return false, having changed nothing, when they do not: the caller writes frame by frame
     */
    private boolean writeWhole(byte[] body, int offset, int length) throws IOException {
        List<HeaderField> block = fields.block(false, length);
        protocol.lock.lock();
        try {
            DataFrames.requireOpen(stream);
            FlowWindow connectionWindow = protocol.connectionSend();
            if (Math.min(stream.lifecycle().sendWindow().available(), connectionWindow.available()) < length) {
                return false;
            }
            stream.lifecycle().sendHeaders(false);
            connectionWindow.consume(length);
            stream.lifecycle().sendData(length, true);
            protocol.closeIfDone(stream);
        } finally {
            protocol.lock.unlock();
        }
        protocol.writer.headersAndData(stream.id(), status, block, body, offset, length);
        bodyBytesSent += length;
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            events.post(new HttpServerEvent.HeadersSent(session.id(), session.remoteAddress(), stream.id()));
            events.post(new HttpServerEvent.SentData(session.id(), session.remoteAddress(), length, stream.id()));
        }
        return true;
    }

    /** DATA frames as the windows and the peer's frame size allow; an empty one only to end. */
    private void writeData(byte[] data, int offset, int length, boolean endStream) throws IOException {
        frames.write(data, offset, length, endStream);
        dataSent(length);
    }

    /** Counts a body's bytes and posts SENT_DATA, one event per {@code int} worth of them. */
    private void dataSent(long length) {
        bodyBytesSent += length;
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            do {
                int piece = (int) Math.min(length, Integer.MAX_VALUE);
                events.post(new HttpServerEvent.SentData(session.id(), session.remoteAddress(), piece, stream.id()));
                length -= piece;
            } while (length > 0);
        }
    }

    private void requireNotCommitted(String what) {
        if (mode != Mode.NONE) {
            throw new IllegalStateException("cannot set " + what + ": the response head was already sent");
        }
    }
}
