package dev.httpsd.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * One request and its response: the {@link HttpRequest} handlers read, and the {@link
 * AsyncRequest} they detach.
 */
final class Exchange implements HttpRequest, AsyncRequest {

    private static final byte[] CONTINUE_100 = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Session session;
    private final RequestHead head;
    private final RequestBody body;
    private final Response response;
    private Object userContext;
    private PathVariables pathVariables;
    private boolean continueSent;
    private volatile CountDownLatch asyncDone;
    private InputStream bodyStream;
    private final long startNanos = System.nanoTime();
    private long bodyBytesReceived;
    private boolean bodyTimedOut;
    /** What the request observer keeps for this request; null without an observer. */
    private Object observation;
    /** The URI of the handler that serves the request, once routed; null when none matched. */
    private String uriTemplate;
    /** What the handler or the thread completing the request threw. */
    private volatile Throwable failure;

    Exchange(Session session, RequestHead head, RequestBody body) {
        this.session = session;
        this.head = head;
        this.body = body;
        this.response = new Response(this, session, session.server().config().maxRespHeaders());
        if (head.method == HttpMethod.HEAD) {
            response.suppressBody();
        }
    }

    RequestHead head() {
        return head;
    }

    RequestBody requestBody() {
        return body;
    }

    Response httpResponse() {
        return response;
    }

    void userContext(Object userContext) {
        this.userContext = userContext;
    }

    void pathVariables(PathVariables pathVariables) {
        this.pathVariables = pathVariables;
    }

    /** The request starts for the observer (there is one): its state for the request is kept. */
    void started(RequestObserver observer) {
        observation = observer.requestStarted(this);
    }

    /** The router found the handler that serves this request. */
    void routedTo(UriHandler handler) {
        this.uriTemplate = handler.uri();
    }

    /** The handler, or the thread completing an async request, threw. */
    void failed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    @Override
    public <T> Optional<T> observation(Class<T> type) {
        Object state = observation;
        if (state instanceof RequestObservers.States chain) {
            return Optional.ofNullable(chain.find(type));
        }
        return type.isInstance(state) ? Optional.of(type.cast(state)) : Optional.empty();
    }

    /** Whether the connection closes after this response, as far as is known now. */
    boolean closesAfterResponse() {
        return !head.keepAlive || response.closeRequested() || session.closeWanted() || bodyWithheld();
    }

    /**
     * The client waits for a 100 before sending the body, and we answer without having asked for
     * it: whether the body follows cannot be known, so the connection must end after the answer.
     */
    private boolean bodyWithheld() {
        return head.expectContinue && !continueSent && !body.complete();
    }

    @Override
    public HttpMethod method() {
        return head.method;
    }

    @Override
    public String uri() {
        return head.target;
    }

    @Override
    public String path() {
        return head.path;
    }

    @Override
    public String rawQuery() {
        return head.rawQuery;
    }

    @Override
    public String protocol() {
        return head.protocol();
    }

    @Override
    public long contentLength() {
        return head.contentLength;
    }

    @Override
    public Optional<String> header(String name) {
        return head.headers.firstValue(Objects.requireNonNull(name, "name"));
    }

    @Override
    public List<String> headers(String name) {
        return head.headers.all(Objects.requireNonNull(name, "name"));
    }

    @Override
    public List<String> headerNames() {
        return head.headers.names();
    }

    @Override
    public Optional<String> queryValue(String key) {
        return QueryStrings.valueOf(head.rawQuery, Objects.requireNonNull(key, "key"));
    }

    @Override
    public Optional<String> decodedQueryValue(String key) {
        return queryValue(key).map(QueryStrings::decode);
    }

    @Override
    public Optional<String> cookie(String name) {
        return QueryStrings.cookie(head.headers.first("Cookie"), Objects.requireNonNull(name, "name"));
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
    public int recv(byte[] buffer, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        if (body.complete() || length == 0) {
            return 0;
        }
        if (head.expectContinue && !continueSent && !response.isCommitted()) {
            continueSent = true;
            session.sendAll(CONTINUE_100, 0, CONTINUE_100.length);
        }
        int n;
        try {
            n = body.read(buffer, offset, length);
        } catch (java.net.SocketTimeoutException e) {
            bodyTimedOut = true;
            throw e;
        }
        if (n < 0) {
            return 0;
        }
        bodyBytesReceived += n;
        session.dataReceived(n);
        return n;
    }

    @Override
    public InputStream body() {
        if (bodyStream == null) {
            bodyStream = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    int n = recv(b, off, len);
                    return n == 0 ? -1 : n;
                }
            };
        }
        return bodyStream;
    }

    @Override
    public byte[] rawHead() {
        return head.raw.clone();
    }

    /**
     * Answers with an error through the custom error handler when there is one (ESP's {@code
     * httpd_req_handle_err}), else with the default response. A custom handler that sends nothing
     * gets the default response sent after it: an error is never answered with the empty {@code
     * 200} a finished response would otherwise be (ESP would leave the client waiting instead).
     *
     * @param framingIntact whether the connection could carry another request afterwards
     * @param keepOnDefault whether the default response keeps the connection (ESP closes it)
     * @return whether to keep the connection
     */
    boolean answerError(HttpError error, boolean framingIntact, boolean keepOnDefault) throws IOException {
        if (!framingIntact || error == HttpError.INTERNAL_SERVER_ERROR_500) {
            // closing whatever a custom handler answers: its response says Connection: close
            response.closeSession();
        }
        ErrorHandler custom = session.server().errorHandler(error);
        boolean keep = custom == null || runErrorHandler(custom, error);
        if (!response.isCommitted()) {
            keep &= keepOnDefault;
            if (!keep) {
                response.closeSession();
            }
            response.sendError(error, null);
        } else {
            response.finish();
        }
        return keep && framingIntact && error != HttpError.INTERNAL_SERVER_ERROR_500;
    }

    /**
     * A request head that did not arrive within its timeouts: ESP's retry. A custom 408 handler
     * that returns {@code true} without sending anything keeps the session waiting for the head;
     * otherwise the 408 is answered ({@link #answerError}) and the session closes, since the
     * bytes of the head received so far leave the connection's framing unknown.
     *
     * @return true to keep waiting for the head
     */
    boolean keepWaitingForHead() throws IOException {
        ErrorHandler custom = session.server().errorHandler(HttpError.REQUEST_TIMEOUT_408);
        if (custom != null && runErrorHandler(custom, HttpError.REQUEST_TIMEOUT_408) && !response.isCommitted()) {
            return true;
        }
        response.closeSession();
        if (!response.isCommitted()) {
            response.sendError(HttpError.REQUEST_TIMEOUT_408, null);
        } else {
            response.finish();
        }
        return false;
    }

    private boolean runErrorHandler(ErrorHandler custom, HttpError error) throws IOException {
        try {
            return custom.handle(this, response, error);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("error handler for " + error.status() + " failed", e);
        }
    }

    @Override
    public HttpSession session() {
        return session;
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

    /** Whether a read of the body waited past the receive timeout: the client stalled. */
    boolean bodyTimedOut() {
        return bodyTimedOut;
    }

    boolean isAsync() {
        return asyncDone != null;
    }

    void awaitAsyncCompletion() throws InterruptedException {
        asyncDone.await();
    }

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
            session.asyncFailed(e);
        } finally {
            done.countDown();
        }
    }

    /** Body bytes the server read and discarded after the handler. */
    void drained(int length) {
        bodyBytesReceived += length;
        session.dataReceived(length);
    }

    /** What a {@link RequestObserver} is told once the response is complete. */
    CompletedRequest completed() {
        return new CompletedRequest(
                session,
                head.method,
                head.path,
                response.statusCode(),
                bodyBytesReceived,
                response.bodyBytesSent(),
                System.nanoTime() - startNanos,
                this,
                uriTemplate,
                failure);
    }

    void headersSent() {
        session.post(HttpServerEvent.Id.HEADERS_SENT, 0, null);
    }

    void dataSent(int length) {
        session.post(HttpServerEvent.Id.SENT_DATA, length, null);
    }

    void errorSent(HttpError error) {
        session.post(HttpServerEvent.Id.ERROR, 0, error);
    }
}
