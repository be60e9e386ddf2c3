package dev.httpsd.test.mock;

import dev.httpsd.server.ErrorHandler;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpRules;
import dev.httpsd.server.HttpServerException;
import dev.httpsd.server.RequestHandler;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The response of a {@link MockHttpRequest}: it enforces what the server's response enforces (the
 * same exceptions for headers after the head is sent, a second send, a body on a 204, framing
 * headers, {@code maxRespHeaders}) and records what the handler sent: status, headers, body,
 * chunks, raw bytes, the error sent, and whether the session would close.
 *
 * <p>{@link #handle} runs a handler the way the server does; calling the handler directly with
 * {@link MockHttpRequest#response()} leaves out what the server does after it returns.
 */
public final class MockHttpResponse implements HttpResponse {

    private enum Mode {
        NONE,
        FIXED,
        CHUNKED,
        RAW,
        FINISHED
    }

    private final MockHttpRequest request;
    private final int maxHeaders;
    private final Map<HttpError, ErrorHandler> errorHandlers = new EnumMap<>(HttpError.class);
    private final ReentrantLock lock = new ReentrantLock();
    private final CountDownLatch completed = new CountDownLatch(1);
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final List<byte[]> chunks = new ArrayList<>();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private String statusLine = "200 OK";
    private int status = 200;
    private String contentType = "text/html";
    private String date;
    private String connectionTokens;
    private int userHeaders;
    private Mode mode = Mode.NONE;
    private boolean closeRequested;
    private boolean async;
    private HttpError errorSent;
    private Throwable failure;
    private OutputStream stream;

    MockHttpResponse(MockHttpRequest request, int maxHeaders) {
        this.request = request;
        this.maxHeaders = maxHeaders;
    }

    /**
     * Runs {@code handler} on {@code request} as the server does and returns the response: when
     * the handler returns without detaching the request, a response it did not send is sent empty
     * and an unterminated chunked one is terminated; when it throws before sending, the client
     * gets ESP's 500 (408 for a body read that timed out) and the session closes; a hang-up ({@link
     * EOFException}) closes it without an answer. The exception is kept as {@link #failure()}.
     */
    public static MockHttpResponse handle(RequestHandler handler, MockHttpRequest request) {
        MockHttpResponse response = request.response();
        try {
            handler.handle(request, response);
            if (!request.isAsync()) {
                response.finish();
            }
        } catch (Exception e) {
            response.failed(e);
        }
        return response;
    }

    /** Registers a custom error handler for {@link #handleError} ({@code httpd_register_err_handler}). */
    public MockHttpResponse errorHandler(HttpError error, ErrorHandler handler) {
        lock.lock();
        try {
            errorHandlers.put(Objects.requireNonNull(error, "error"), Objects.requireNonNull(handler, "handler"));
            return this;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public HttpResponse status(int code) {
        return setStatus(HttpRules.statusLine(code), code);
    }

    @Override
    public HttpResponse status(String statusLine) {
        Objects.requireNonNull(statusLine, "statusLine");
        return setStatus(statusLine, HttpRules.statusCode(statusLine));
    }

    private HttpResponse setStatus(String line, int code) {
        lock.lock();
        try {
            requireNotCommitted("status");
            this.statusLine = line;
            this.status = code;
            return this;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public HttpResponse contentType(String contentType) {
        lock.lock();
        try {
            requireNotCommitted("content type");
            if (contentType != null) {
                HttpRules.checkHeaderValue("Content-Type", contentType);
            }
            this.contentType = contentType;
            return this;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public HttpResponse header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        lock.lock();
        try {
            requireNotCommitted("headers");
            HttpRules.checkResponseHeader(name, value);
            if (userHeaders >= maxHeaders) {
                throw new HttpServerException(
                        HttpServerException.Reason.RESP_HDR,
                        "more than " + maxHeaders + " response headers (maxRespHeaders)");
            }
            userHeaders++;
            switch (name.toLowerCase(Locale.ROOT)) {
                case "content-type" -> this.contentType = value;
                case "date" -> this.date = value;
                case "connection" -> connection(value);
                default -> headers.add(Map.entry(name, value));
            }
            return this;
        } finally {
            lock.unlock();
        }
    }

    private void connection(String value) {
        for (String token : value.split(",")) {
            String option = token.strip();
            if (option.equalsIgnoreCase("close")) {
                closeRequested = true;
            } else if (!option.isEmpty() && !option.equalsIgnoreCase("keep-alive")) {
                connectionTokens = connectionTokens == null ? option : connectionTokens + ", " + option;
            }
        }
    }

    @Override
    public void send(byte[] body, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(body, "body").length);
        lock.lock();
        try {
            if (mode != Mode.NONE) {
                throw new IllegalStateException(
                        "response already sent (" + mode.name().toLowerCase(Locale.ROOT) + ")");
            }
            if (bodyless() && length > 0 && status != 304) {
                throw new IllegalArgumentException("a " + status + " response has no body");
            }
            requireOpen();
            mode = Mode.FINISHED;
            if (carriesBody()) {
                this.body.write(body, offset, length);
            }
        } finally {
            lock.unlock();
        }
        markComplete();
    }

    /**
     * Records the part of the file as the body, read now, as the server's {@code sendFile} sends
     * it: the same range checks, the same framing as {@link #send(byte[], int, int)}.
     */
    @Override
    public void sendFile(FileChannel file, long position, long length) throws IOException {
        HttpRules.requireFileRange(Objects.requireNonNull(file, "file"), position, length);
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a mock response records bodies up to 2 GiB, not " + length + " bytes");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) length);
        while (bytes.hasRemaining()) {
            if (file.read(bytes, position + bytes.position()) < 0) {
                throw new EOFException("the file ended at byte " + (position + bytes.position()));
            }
        }
        send(bytes.array(), 0, bytes.capacity());
    }

    @Override
    public void send(String body) throws IOException {
        send(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendChunk(byte[] chunk, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(chunk, "chunk").length);
        boolean last = length == 0;
        lock.lock();
        try {
            if (mode == Mode.FINISHED || mode == Mode.FIXED || mode == Mode.RAW) {
                throw new IllegalStateException("response already complete");
            }
            requireOpen();
            if (mode == Mode.NONE) {
                mode = Mode.CHUNKED;
                if (request.protocol().equals("HTTP/1.0")) {
                    // HTTP/1.0 cannot read chunks: the server sends the raw body and closes
                    closeRequested = true;
                }
            }
            if (!last && carriesBody()) {
                byte[] copy = new byte[length];
                System.arraycopy(chunk, offset, copy, 0, length);
                chunks.add(copy);
                body.write(copy, 0, length);
            }
            if (last) {
                mode = Mode.FINISHED;
            }
        } finally {
            lock.unlock();
        }
        if (last) {
            markComplete();
        }
    }

    @Override
    public void sendChunk(String chunk) throws IOException {
        sendChunk(chunk == null ? new byte[0] : chunk.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendError(HttpError error, String message) throws IOException {
        Objects.requireNonNull(error, "error");
        sendErrorBody(error.statusLine(), message == null ? error.defaultMessage() : message);
        lock.lock();
        try {
            errorSent = error;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean handleError(HttpError error) throws IOException {
        Objects.requireNonNull(error, "error");
        ErrorHandler custom;
        lock.lock();
        try {
            custom = errorHandlers.get(error);
        } finally {
            lock.unlock();
        }
        boolean keep = false;
        if (custom != null) {
            try {
                keep = custom.handle(request, this, error) && error != HttpError.INTERNAL_SERVER_ERROR_500;
            } catch (Exception e) {
                keep = false;
            }
        }
        if (!isCommitted()) {
            // a custom handler that sent nothing still gets the client an answer
            sendError(error, null);
        }
        if (!keep) {
            closeSession();
        }
        return keep;
    }

    @Override
    public void sendCustomError(String statusLine, String message) throws IOException {
        HttpRules.statusCode(Objects.requireNonNull(statusLine, "statusLine"));
        sendErrorBody(statusLine, message == null ? "" : message);
    }

    private void sendErrorBody(String statusLine, String message) throws IOException {
        lock.lock();
        try {
            if (mode != Mode.NONE) {
                throw new IllegalStateException("cannot send an error: the response was already started");
            }
            this.statusLine = statusLine;
            this.status = Integer.parseInt(statusLine, 0, 3, 10);
            this.contentType = "text/html";
        } finally {
            lock.unlock();
        }
        send(message);
    }

    @Override
    public int sendRaw(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        lock.lock();
        try {
            requireOpen();
            if (mode == Mode.NONE) {
                mode = Mode.RAW;
            }
            raw.write(buffer, offset, length);
        } finally {
            lock.unlock();
        }
        markComplete();
        return length;
    }

    @Override
    public OutputStream outputStream() {
        lock.lock();
        try {
            if (stream == null) {
                stream = new MockChunkedOutputStream(this);
            }
            return stream;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void closeSession() {
        lock.lock();
        try {
            closeRequested = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isCommitted() {
        lock.lock();
        try {
            return mode != Mode.NONE;
        } finally {
            lock.unlock();
        }
    }

    // --- what the handler sent ---

    /** The status code, 200 unless set. */
    public int status() {
        lock.lock();
        try {
            return status;
        } finally {
            lock.unlock();
        }
    }

    /** The status as it follows {@code HTTP/1.1}, e.g. {@code 404 Not Found}. */
    public String statusLine() {
        lock.lock();
        try {
            return statusLine;
        } finally {
            lock.unlock();
        }
    }

    /** The {@code Content-Type}: {@code text/html} unless set, as in ESP; {@code null} when removed. */
    public String contentType() {
        lock.lock();
        try {
            return contentType;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first value of a header the handler set, case-insensitive; {@code Content-Type}, {@code
     * Date} and {@code Connection} (the tokens the handler added) included.
     */
    public Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every value of a header the handler set, in order. */
    public List<String> headers(String name) {
        Objects.requireNonNull(name, "name");
        lock.lock();
        try {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "content-type" -> contentType == null ? List.of() : List.of(contentType);
                case "date" -> date == null ? List.of() : List.of(date);
                case "connection" -> connectionTokens == null ? List.of() : List.of(connectionTokens);
                default ->
                    headers.stream()
                            .filter(h -> h.getKey().equalsIgnoreCase(name))
                            .map(Map.Entry::getValue)
                            .toList();
            };
        } finally {
            lock.unlock();
        }
    }

    /** The other headers the handler set, in order, as name and value. */
    public List<Map.Entry<String, String>> headerFields() {
        lock.lock();
        try {
            return List.copyOf(headers);
        } finally {
            lock.unlock();
        }
    }

    /** The body sent, chunks joined; empty for a HEAD request, as on the wire. */
    public byte[] body() {
        lock.lock();
        try {
            return body.toByteArray();
        } finally {
            lock.unlock();
        }
    }

    /** The body as UTF-8 text. */
    public String bodyAsString() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** The chunks of a chunked response in order, without the terminating empty one. */
    public List<byte[]> chunks() {
        lock.lock();
        try {
            return chunks.stream().map(byte[]::clone).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the response was sent in chunks ({@link #sendChunk} or {@link #outputStream()}). */
    public boolean isChunked() {
        lock.lock();
        try {
            return mode == Mode.CHUNKED || (mode == Mode.FINISHED && (!chunks.isEmpty() || stream != null));
        } finally {
            lock.unlock();
        }
    }

    /** Bytes written with {@link #sendRaw}, which bypass HTTP framing. */
    public byte[] rawBytes() {
        lock.lock();
        try {
            return raw.toByteArray();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the response is complete: sent whole, its last chunk sent, or written raw. */
    public boolean isComplete() {
        return completed.getCount() == 0;
    }

    /**
     * Waits for the response to complete, for asynchronous handlers that finish it on another
     * thread.
     *
     * @throws AssertionError when it is not complete within {@code timeout}
     */
    public MockHttpResponse awaitCompletion(Duration timeout) throws InterruptedException {
        if (!completed.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("the response to " + request + " was not complete within " + timeout);
        }
        return this;
    }

    /** The error sent with {@link #sendError} or by the server's error path, if any. */
    public Optional<HttpError> errorSent() {
        lock.lock();
        try {
            return Optional.ofNullable(errorSent);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the server would close the session after this response. */
    public boolean closesSession() {
        lock.lock();
        try {
            return closeRequested;
        } finally {
            lock.unlock();
        }
    }

    /** The exception the handler threw, when run by {@link #handle}. */
    public Optional<Throwable> failure() {
        lock.lock();
        try {
            return Optional.ofNullable(failure);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "HTTP/1.1 " + statusLine() + " (" + body().length + " body bytes)";
    }

    // --- the server's part ---

    /** The request was detached: {@link #handle} leaves completing it to {@link MockAsyncRequest#complete()}. */
    void detached() {
        lock.lock();
        try {
            async = true;
        } finally {
            lock.unlock();
        }
    }

    /** Completes what the handler left open: an empty response, or the last chunk. */
    void finish() throws IOException {
        OutputStream open;
        Mode now;
        lock.lock();
        try {
            open = stream;
            now = mode;
        } finally {
            lock.unlock();
        }
        if (open != null && now != Mode.FINISHED) {
            open.close();
        }
        lock.lock();
        try {
            now = mode;
        } finally {
            lock.unlock();
        }
        if (now == Mode.NONE) {
            send(new byte[0]);
        } else if (now == Mode.CHUNKED) {
            sendChunk(new byte[0]);
        }
        markComplete();
    }

    private void failed(Exception e) {
        lock.lock();
        try {
            failure = e;
        } finally {
            lock.unlock();
        }
        try {
            if (e instanceof EOFException) {
                closeSession();
            } else if (!isCommitted()) {
                handleError(
                        e instanceof SocketTimeoutException
                                ? HttpError.REQUEST_TIMEOUT_408
                                : HttpError.INTERNAL_SERVER_ERROR_500);
            }
        } catch (IOException | RuntimeException ignored) {
            // the server only closes the session then
        }
        closeSession();
        markComplete();
    }

    private void markComplete() {
        completed.countDown();
    }

    private boolean bodyless() {
        return status < 200 || status == 204 || status == 304;
    }

    private boolean carriesBody() {
        return request.method() != HttpMethod.HEAD && !bodyless();
    }

    private void requireOpen() throws IOException {
        if (!request.session().isOpen()) {
            throw new IOException("session " + request.session().id() + " is closed");
        }
    }

    private void requireNotCommitted(String what) {
        if (mode != Mode.NONE) {
            throw new IllegalStateException("cannot set " + what + ": the response head was already sent");
        }
    }
}
