package dev.httpsd.server.http2;

import dev.httpsd.server.AsyncRequest;
import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.EventSink;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.PathVariables;
import dev.httpsd.server.RequestBodyStream;
import dev.httpsd.server.RequestObserver;
import dev.httpsd.server.UriHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * One request stream: the {@link HttpRequest} its handler reads (and the {@link AsyncRequest} it
 * may detach), its request body as the reader hands it over ({@link Http2RequestBody}), and its
 * completion. Its virtual thread runs a {@link StreamRunner}, which routes the request and runs the
 * handler. The fields the reader and the stream thread share are guarded by the connection's lock.
 */
final class Http2Stream implements StreamRegistry.Member, HttpRequest, AsyncRequest {

    private final Http2Protocol protocol;
    private final ConnectionContext connection;
    private final int id;
    private final StreamLifecycle lifecycle;
    private final long startNanos = System.nanoTime();

    private final Http2RequestBody body;

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
        this.body = new Http2RequestBody(this);
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
        body.end();
    }

    /** See {@link Http2RequestBody#received}: the stream credit to give back now. */
    int received(byte[] data, int offset, int length, int padding, boolean endStream) {
        return body.received(data, offset, length, padding, endStream, lifecycle.handlerStopped());
    }

    void resetLocally() {
        lifecycle.stopHandler(null);
    }

    void resetByPeer(ErrorCode code) {
        lifecycle.stopHandler(code);
    }

    /** See {@link StreamLifecycle#handlerStopReason}; under the lock. */
    String resetReason() {
        return lifecycle.handlerStopReason(protocol.isEnded());
    }

    /** Whether the stream was reset (by either side) or the connection ended; under the lock. */
    boolean isReset() {
        return lifecycle.handlerStopped() || protocol.isEnded();
    }

    /** Starts the stream's thread; a null head means a header list over the limit (431). */
    void start(Http2RequestHead head, boolean endStream) {
        this.head = head;
        protocol.lock.lock();
        try {
            if (endStream) {
                body.end();
            }
        } finally {
            protocol.lock.unlock();
        }
        connection.http2Statistics().countStreamOpened();
        protocol.startHandler(Thread.ofVirtual()
                .name("httpd-h2-" + connection.session().id() + "-" + id)
                .unstarted(new StreamRunner(this)));
    }

    // ---- the stream's thread ({@link StreamRunner}) --------------------------------------------

    /** The request line as handlers read it, and the response; a null head leaves them empty. */
    Http2Response begin() {
        response = new Http2Response(this, connection);
        if (head == null) {
            path = "";
            rawQuery = null;
            return response;
        }
        method = HttpMethod.fromToken(head.method());
        String target = head.path() == null ? "" : head.path();
        int query = target.indexOf('?');
        path = query < 0 ? target : target.substring(0, query);
        rawQuery = query < 0 ? null : target.substring(query + 1);
        if (method == HttpMethod.HEAD) {
            response.suppressBody();
        }
        return response;
    }

    /** The decoded request head; null when its header list was over the limit. */
    Http2RequestHead head() {
        return head;
    }

    /** The request starts for the observer (there is one): its state for the request is kept. */
    void started(RequestObserver observer) {
        observation = observer.requestStarted(this);
    }

    /** The router found the handler that serves this request, and what its template captured. */
    void routedTo(UriHandler handler, PathVariables captured) {
        uriTemplate = handler.uri();
        userContext = handler.userContext();
        pathVariables = captured;
    }

    /** The handler, or the thread completing the request, threw. */
    void failed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    /** Waits until a detached request is completed; at once when the handler did not detach it. */
    void awaitAsync() throws InterruptedException {
        CountDownLatch done = asyncDone;
        if (done != null) {
            done.await();
        }
    }

    /**
     * The response is complete (or the stream reset): a request body still arriving is refused
     * with RST_STREAM NO_ERROR (RFC 9113 §8.1), and a {@code closeSession} takes effect.
     */
    void finish() {
        boolean open;
        protocol.lock.lock();
        try {
            body.discard();
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

    /** What a {@link RequestObserver} is told once the response is complete. */
    CompletedRequest completed() {
        return new CompletedRequest(
                connection.session(),
                method,
                path,
                response.statusCode(),
                bodyBytesReceived,
                response.bodyBytesSent(),
                System.nanoTime() - startNanos,
                this,
                uriTemplate,
                failure);
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
        return head == null ? Optional.empty() : Optional.ofNullable(head.value(lower));
    }

    @Override
    public List<String> headers(String name) {
        String lower = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
        return head == null ? new ArrayList<>() : head.values(lower);
    }

    /** The request's field names in lowercase, {@code host} first (from {@code :authority}). */
    @Override
    public List<String> headerNames() {
        return head == null ? new ArrayList<>() : head.names();
    }

    @Override
    public int recv(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        sendContinueIfExpected();
        int n;
        try {
            n = body.read(buffer, offset, length, connection.timeouts().recvMillis());
        } catch (SocketTimeoutException e) {
            response.bodyTimedOut(true);
            throw e;
        }
        if (n == 0) {
            return 0;
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
        return head == null ? "\r\n".getBytes(StandardCharsets.ISO_8859_1) : head.render();
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
            failed(e);
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
