package dev.httpsd.server.http2;

import dev.httpsd.server.AsyncRequest;
import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.ErrorHandler;
import dev.httpsd.server.EventSink;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.PathVariables;
import dev.httpsd.server.RequestBodyStream;
import dev.httpsd.server.RequestObserver;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.UriRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One request stream: the {@link HttpRequest} its handler reads (and the {@link AsyncRequest} it
 * may detach), its request body as the reader hands it over, and the virtual thread that routes
 * it, runs the handler and completes the response. The fields the reader and the stream thread
 * share are guarded by the connection's lock.
 */
final class Http2Stream implements StreamRegistry.Member, HttpRequest, AsyncRequest {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final Http2Protocol protocol;
    private final ConnectionContext connection;
    private final int id;
    private final StreamLifecycle lifecycle;
    private final long startNanos = System.nanoTime();

    // guarded by protocol.lock
    private final ArrayDeque<byte[]> body = new ArrayDeque<>();
    private int bodyOffset;
    private boolean bodyEnded;
    private boolean reset;
    private boolean handlerDone;

    // the stream thread's own
    private Http2RequestHead head;
    private HttpMethod method;
    private String path;
    private String rawQuery;
    private Http2Response response;
    private Object userContext;
    private PathVariables pathVariables;
    private Object observation;
    private String uriTemplate;
    private long bodyBytesReceived;
    private boolean continueSent;
    private InputStream bodyStream;
    private volatile CountDownLatch asyncDone;
    private volatile Throwable failure;

    Http2Stream(Http2Protocol protocol, int id, int peerInitialWindow, int ourInitialWindow) {
        this.protocol = protocol;
        this.connection = protocol.connection;
        this.id = id;
        this.lifecycle = new StreamLifecycle(id, peerInitialWindow, ourInitialWindow);
    }

    @Override
    public StreamLifecycle lifecycle() {
        return lifecycle;
    }

    int id() {
        return id;
    }

    Http2Protocol connectionProtocol() {
        return protocol;
    }

    // ---- from the reader, under the lock ---------------------------------------------------------

    void bodyEnded() {
        bodyEnded = true;
    }

    /**
     * Request body octets for the handler; returns the stream credit to give back now (padding,
     * and everything once the handler is done and nobody reads).
     */
    int received(byte[] data, int offset, int length, int padding, boolean endStream) {
        int release = padding;
        if (handlerDone || reset) {
            release += length;
        } else if (length > 0) {
            byte[] copy = new byte[length];
            System.arraycopy(data, offset, copy, 0, length);
            body.add(copy);
        }
        if (endStream) {
            bodyEnded = true;
        }
        return release > 0 ? lifecycle.receiveWindow().release(release) : 0;
    }

    void resetLocally() {
        reset = true;
    }

    void resetByPeer() {
        reset = true;
    }

    /** Whether the stream was reset (by either side) or the connection ended; under the lock. */
    boolean isReset() {
        return reset || protocol.isEnded();
    }

    /** Starts the stream's thread; a null head means a header list over the limit (431). */
    void start(Http2RequestHead head, boolean endStream) {
        this.head = head;
        protocol.lock.lock();
        try {
            if (endStream) {
                bodyEnded = true;
            }
        } finally {
            protocol.lock.unlock();
        }
        connection.http2Statistics().countStreamOpened();
        Thread.ofVirtual()
                .name("httpd-h2-" + connection.session().id() + "-" + id)
                .start(this::run);
    }

    // ---- the stream's thread --------------------------------------------------------------------

    private void run() {
        response = new Http2Response(this, connection);
        if (head == null) {
            path = "";
            rawQuery = null;
            answerError(HttpError.REQUEST_HEADER_FIELDS_TOO_LARGE_431);
            finishStream();
            return;
        }
        method = HttpMethod.fromToken(head.method());
        String target = head.path() == null ? "" : head.path();
        int query = target.indexOf('?');
        path = query < 0 ? target : target.substring(0, query);
        rawQuery = query < 0 ? null : target.substring(query + 1);
        if (method == HttpMethod.HEAD) {
            response.suppressBody();
        }
        RequestObserver observer = connection.config().requestObserver();
        if (observer != null) {
            try {
                observation = observer.requestStarted(this);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, connection + ": request observer failed", e);
            }
        }
        try {
            serve();
        } finally {
            finishStream();
            observe(observer);
        }
    }

    private void serve() {
        if (method == null || head.path() == null) {
            answerError(HttpError.METHOD_NOT_IMPLEMENTED_501);
            return;
        }
        switch (connection.route(path, method)) {
            case UriRouter.Found found -> {
                UriHandler handler = found.handler();
                uriTemplate = handler.uri();
                userContext = handler.userContext();
                pathVariables = found.capture(path);
                if (handler.isWebSocket()) {
                    // RFC 8441 (WebSocket over HTTP/2) is not offered: the client retries on HTTP/1.1
                    protocol.reset(this, ErrorCode.HTTP_1_1_REQUIRED);
                    return;
                }
                invoke(handler);
            }
            case UriRouter.NotFound notFound -> answerError(HttpError.NOT_FOUND_404);
            case UriRouter.MethodNotAllowed notAllowed -> {
                response.serverHeader("allow", notAllowed.allow());
                answerError(HttpError.METHOD_NOT_ALLOWED_405);
            }
        }
    }

    private void invoke(UriHandler handler) {
        try {
            handler.handler().handle(this, response);
            CountDownLatch done = asyncDone;
            if (done != null) {
                done.await();
            }
            response.finish();
        } catch (Throwable t) {
            handlerFailed(handler, t);
        }
    }

    private void handlerFailed(UriHandler handler, Throwable t) {
        if (failure == null) {
            failure = t;
        }
        boolean gone;
        protocol.lock.lock();
        try {
            gone = isReset();
        } finally {
            protocol.lock.unlock();
        }
        if (gone || connection.isClientGone(t)) {
            LOG.log(Level.DEBUG, () -> connection + ": stream " + id + " ended during " + handler.uri() + ": " + t);
            return;
        }
        HttpError error = t instanceof SocketTimeoutException && response.bodyTimedOut()
                ? HttpError.REQUEST_TIMEOUT_408
                : HttpError.INTERNAL_SERVER_ERROR_500;
        if (error == HttpError.INTERNAL_SERVER_ERROR_500) {
            LOG.log(
                    Level.WARNING,
                    connection + ": handler for " + handler.method() + " " + handler.uri() + " failed",
                    t);
        }
        if (response.isCommitted()) {
            protocol.reset(this, ErrorCode.INTERNAL_ERROR);
            return;
        }
        answerError(error);
    }

    /** An error the server answers itself: the custom handler, else the default page. */
    private void answerError(HttpError error) {
        try {
            ErrorHandler custom = connection.errorHandler(error);
            if (custom != null) {
                try {
                    custom.handle(this, response, error);
                } catch (Exception e) {
                    LOG.log(Level.WARNING, connection + ": error handler for " + error.status() + " failed", e);
                }
            }
            if (!response.isCommitted()) {
                response.sendError(error, null);
            }
            response.finish();
        } catch (IOException | RuntimeException e) {
            connection.logFailure("answering " + error.status() + " failed", e);
        }
    }

    /**
     * The response is complete (or the stream reset): a request body still arriving is refused
     * with RST_STREAM NO_ERROR (RFC 9113 §8.1), and a {@code closeSession} takes effect.
     */
    private void finishStream() {
        boolean open;
        protocol.lock.lock();
        try {
            handlerDone = true;
            body.clear();
            open = lifecycle.state() != StreamState.CLOSED && !isReset();
            // the connection counts as used (LRU) and, once it served one, purgeable when idle;
            // under the lock: streams of one connection finish on threads of their own
            connection.requestServed();
        } finally {
            protocol.lock.unlock();
        }
        if (open) {
            protocol.reset(this, ErrorCode.NO_ERROR);
        }
        connection.requestCompleted();
        connection.http2Statistics().countStreamFinished();
        if (response.closeAfter()) {
            connection.session().triggerClose();
        }
        protocol.streamFinished();
    }

    private void observe(RequestObserver observer) {
        if (observer == null) {
            return;
        }
        try {
            observer.requestCompleted(new CompletedRequest(
                    connection.session(),
                    method,
                    path,
                    response.statusCode(),
                    bodyBytesReceived,
                    response.bodyBytesSent(),
                    System.nanoTime() - startNanos,
                    this,
                    uriTemplate,
                    failure));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, connection + ": request observer failed", e);
        }
    }

    // ---- HttpRequest ----------------------------------------------------------------------------

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String uri() {
        return head == null ? "" : head.path();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public String protocol() {
        return "HTTP/2.0";
    }

    @Override
    public long contentLength() {
        return head == null ? -1 : head.contentLength();
    }

    @Override
    public Optional<String> header(String name) {
        String lower = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
        if (head == null) {
            return Optional.empty();
        }
        if (lower.equals("host")) {
            return Optional.ofNullable(head.authority());
        }
        return Optional.ofNullable(head.first(lower));
    }

    @Override
    public List<String> headers(String name) {
        String lower = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
        List<String> values = new ArrayList<>();
        if (head == null) {
            return values;
        }
        if (lower.equals("host")) {
            return head.authority() == null ? values : List.of(head.authority());
        }
        for (HeaderField field : head.fields()) {
            if (field.name().equals(lower)) {
                values.add(field.value());
            }
        }
        return values;
    }

    /** The request's field names in lowercase, {@code host} first (from {@code :authority}). */
    @Override
    public List<String> headerNames() {
        List<String> names = new ArrayList<>();
        if (head == null) {
            return names;
        }
        if (head.authority() != null) {
            names.add("host");
        }
        for (HeaderField field : head.fields()) {
            if (!names.contains(field.name())) {
                names.add(field.name());
            }
        }
        return names;
    }

    @Override
    public int recv(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        sendContinueIfExpected();
        int n;
        int increment;
        protocol.lock.lock();
        try {
            long deadline = System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos(connection.timeouts().recvMillis());
            while (body.isEmpty() && !bodyEnded && !isReset()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    response.bodyTimedOut(true);
                    throw new SocketTimeoutException(
                            "request body of stream " + id + " stalled past the receive timeout");
                }
                protocol.changed.awaitNanos(left);
            }
            if (body.isEmpty()) {
                if (isReset() && !bodyEnded) {
                    throw new IOException("stream " + id + " was reset");
                }
                return 0;
            }
            byte[] chunk = body.peek();
            n = Math.min(length, chunk.length - bodyOffset);
            System.arraycopy(chunk, bodyOffset, buffer, offset, n);
            bodyOffset += n;
            if (bodyOffset == chunk.length) {
                body.poll();
                bodyOffset = 0;
            }
            increment = bodyEnded || isReset() ? 0 : lifecycle.receiveWindow().release(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the request body of stream " + id);
        } finally {
            protocol.lock.unlock();
        }
        if (increment > 0) {
            protocol.writer.windowUpdate(id, increment);
        }
        bodyBytesReceived += n;
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            events.post(new HttpServerEvent.OnData(session.id(), session.remoteAddress(), n, id));
        }
        return n;
    }

    /** {@code expect: 100-continue}: the interim response goes out when the handler first reads. */
    private void sendContinueIfExpected() throws IOException {
        if (continueSent || head == null || response.isCommitted()) {
            return;
        }
        continueSent = true;
        String expect = head.first("expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            response.sendInterim(100);
        }
    }

    @Override
    public InputStream body() {
        if (bodyStream == null) {
            bodyStream = new RequestBodyStream(this);
        }
        return bodyStream;
    }

    /**
     * HTTP/2 has no request head in text: this is an HTTP/1.1-style rendering of the decoded one
     * ({@code METHOD target HTTP/2.0}, {@code host}, then the fields), for logging.
     */
    @Override
    public byte[] rawHead() {
        StringBuilder text = new StringBuilder();
        if (head != null) {
            text.append(head.method()).append(' ').append(head.path()).append(" HTTP/2.0\r\n");
            if (head.authority() != null) {
                text.append("host: ").append(head.authority()).append("\r\n");
            }
            for (HeaderField field : head.fields()) {
                text.append(field.name()).append(": ").append(field.value()).append("\r\n");
            }
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public Optional<String> pathVariable(String name) {
        Objects.requireNonNull(name, "name");
        return pathVariables == null ? Optional.empty() : pathVariables.get(name);
    }

    @Override
    public Map<String, String> pathVariables() {
        return pathVariables == null ? Map.of() : pathVariables.asMap();
    }

    @Override
    public HttpSession session() {
        return connection.session();
    }

    @Override
    public Object userContext() {
        return userContext;
    }

    @Override
    public AsyncRequest beginAsync() {
        if (asyncDone == null) {
            asyncDone = new CountDownLatch(1);
        }
        return this;
    }

    @Override
    public <T> Optional<T> observation(Class<T> type) {
        Object state = observation;
        return state == null ? Optional.empty() : connection.observation(state, type);
    }

    // ---- AsyncRequest ---------------------------------------------------------------------------

    @Override
    public HttpRequest request() {
        return this;
    }

    @Override
    public HttpResponse response() {
        return response;
    }

    @Override
    public void complete() {
        CountDownLatch done = asyncDone;
        if (done == null) {
            throw new IllegalStateException("complete() without beginAsync()");
        }
        if (done.getCount() == 0) {
            return;
        }
        try {
            response.finish();
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
            connection.logFailure("async request on stream " + id + " failed", e);
        } finally {
            done.countDown();
        }
    }

    @Override
    public String toString() {
        return "stream " + id + " of " + connection;
    }
}
