package dev.httpsd.server.http1;

import dev.httpsd.server.AsyncRequest;
import dev.httpsd.server.CompletedRequest;
import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.EventSink;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * One request and its response: the {@link HttpRequest} handlers read, and the {@link
 * AsyncRequest} they detach.
 */
public final class Exchange implements HttpRequest, AsyncRequest, RequestBody.DrainCounter {

    private static final byte[] CONTINUE_100 = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ConnectionContext connection;
    private final RequestHead head;
    private final RequestBody body;
    private final Persistence persistence;
    private final Response response;
    private Object userContext;
    private PathVariables pathVariables;
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

    /** See {@link Exchanges#next}, which begins the connection's shared parts for it. */
    Exchange(ConnectionContext connection, RequestHead head, RequestBody body, Exchanges exchanges) {
        this.connection = connection;
        this.head = head;
        this.body = body;
        this.persistence = exchanges.persistence;
        this.response =
                new Response(this, connection, persistence, exchanges.errors, exchanges.responseHead, head.http10());
        if (head.method() == HttpMethod.HEAD) {
            response.suppressBody();
        }
    }

    /** The parsed request head. */
    public RequestHead head() {
        return head;
    }

    RequestBody requestBody() {
        return body;
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

    /** The handler, or the thread completing the request, threw. */
    void failed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    @Override
    public <T> Optional<T> observation(Class<T> type) {
        Object state = observation;
        return state == null ? Optional.empty() : connection.observation(state, type);
    }

    @Override
    public HttpMethod method() {
        return head.method();
    }

    @Override
    public String uri() {
        return head.target();
    }

    @Override
    public String path() {
        return head.path();
    }

    @Override
    public String rawQuery() {
        return head.rawQuery();
    }

    @Override
    public String protocol() {
        return head.protocol();
    }

    @Override
    public long contentLength() {
        return head.contentLength();
    }

    @Override
    public Optional<String> header(String name) {
        return head.headers().firstValue(Objects.requireNonNull(name, "name"));
    }

    @Override
    public List<String> headers(String name) {
        return head.headers().all(Objects.requireNonNull(name, "name"));
    }

    @Override
    public List<String> headerNames() {
        return head.headers().names();
    }

    @Override
    public int recv(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (body.complete() || length == 0) {
            return 0;
        }
        if (head.expectContinue() && !persistence.isContinueSent() && !response.isCommitted()) {
            persistence.continueSent();
            connection.send(CONTINUE_100, 0, CONTINUE_100.length);
        }
        int n;
        try {
            n = body.read(buffer, offset, length);
        } catch (SocketTimeoutException e) {
            bodyTimedOut = true;
            throw e;
        }
        if (n < 0) {
            return 0;
        }
        bodyBytesReceived += n;
        dataReceived(n);
        return n;
    }

    @Override
    public InputStream body() {
        if (bodyStream == null) {
            bodyStream = new RequestBodyStream(this);
        }
        return bodyStream;
    }

    @Override
    public byte[] rawHead() {
        return head.raw().clone();
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

    /** Whether a read of the body waited past the receive timeout: the client stalled. */
    boolean bodyTimedOut() {
        return bodyTimedOut;
    }

    boolean isAsync() {
        return asyncDone != null;
    }

    /** Waits, as the session's ASYNC state, until the detached request is completed. */
    void awaitAsyncCompletion() throws InterruptedException {
        connection.awaitAsync(asyncDone);
    }

    @Override
    public HttpRequest request() {
        return this;
    }

    @Override
    public Response response() {
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
            connection.closeAfter("async request failed", e);
        } finally {
            done.countDown();
        }
    }

    /** Body bytes the server read and discarded after the handler. */
    @Override
    public void drained(int length) {
        bodyBytesReceived += length;
        dataReceived(length);
    }

    private void dataReceived(int length) {
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            events.post(new HttpServerEvent.OnData(session.id(), session.remoteAddress(), length));
        }
    }

    /** What a {@link RequestObserver} is told once the response is complete. */
    CompletedRequest completed() {
        return new CompletedRequest(
                connection.session(),
                head.method(),
                head.path(),
                response.statusCode(),
                bodyBytesReceived,
                response.bodyBytesSent(),
                System.nanoTime() - startNanos,
                this,
                uriTemplate,
                failure);
    }
}
