package dev.httpsd.server;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive loop of one session: wait for a request (idle timeout), parse its head (header
 * deadline), route and run the handler, finish the response, drain the unread body, repeat.
 * Pipelined requests are served in order from the session's buffer.
 */
final class RequestLoop {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    /** Read buffer of a session between requests; it grows for large heads and shrinks back. */
    private static final int IDLE_BUFFER = 512;

    private final Session session;
    private final HttpServer server;
    private final HttpServerConfig config;
    private final SessionInput in;
    private final RequestHeadParser parser;
    private final int idleMillis;
    private final int recvMillis;
    private final long headerNanos;
    private byte[] scratch;

    RequestLoop(Session session) {
        this.session = session;
        this.server = session.server();
        this.config = server.config();
        this.in = new SessionInput(session, IDLE_BUFFER);
        this.parser = new RequestHeadParser(
                config.maxUriLen(),
                config.maxReqHdrLen(),
                config.maxHeaderCount(),
                config.maxContentLength(),
                config.espIdfCompatible());
        this.idleMillis = (int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis());
        this.recvMillis =
                (int) Math.min(Integer.MAX_VALUE, config.recvWaitTimeout().toMillis());
        this.headerNanos = config.headerReadTimeout().toNanos();
    }

    void run() throws IOException {
        while (!session.closeWanted()) {
            if (!awaitRequest()) {
                return;
            }
            RequestHead head = readHead();
            if (head == null) {
                return;
            }
            session.post(HttpServerEvent.Id.ON_HEADER, 0, null);
            in.timeout(recvMillis);
            Exchange exchange = new Exchange(session, head, body(head));
            start(exchange);
            boolean keep = false;
            try {
                keep = serve(exchange);
                if (keep) {
                    // before the request is counted: whoever sees the count sees the LRU tick
                    session.requestServed();
                }
            } finally {
                observe(exchange);
            }
            if (!keep) {
                return;
            }
        }
    }

    /**
     * Parses the next request head; null when it was answered with an error or the client left,
     * and the session ends. With a custom 408 handler, reads wait under socket timeouts so that the
     * handler can keep the session waiting for the rest of the head (ESP's retry), the timeouts
     * starting over; without one a timeout ends the read for good (no timer per read).
     */
    private RequestHead readHead() throws IOException {
        while (true) {
            boolean retryable = server.errorHandler(HttpError.REQUEST_TIMEOUT_408) != null;
            in.guard(System.nanoTime() + headerNanos, recvMillis, retryable);
            try {
                return parser.parse(in);
            } catch (HttpParseException e) {
                LOG.log(
                        Level.DEBUG,
                        () -> session + ": bad request, answering " + e.error().status() + ": " + e.getMessage());
                answerUnparsed(e.error());
                return null;
            } catch (SocketTimeoutException e) {
                if (!retryable) {
                    LOG.log(Level.DEBUG, () -> session + ": request head incomplete at the timeout, answering 408");
                    answerUnparsed(HttpError.REQUEST_TIMEOUT_408);
                    return null;
                }
                Exchange exchange = new Exchange(session, RequestHead.UNPARSED, RequestBody.Empty.INSTANCE);
                if (exchange.keepWaitingForHead()) {
                    if (session.closeWanted()) {
                        return null; // closed meanwhile (trigger, stop): nothing more to wait for
                    }
                    LOG.log(Level.DEBUG, () -> session + ": request head incomplete, the 408 handler keeps waiting");
                    continue;
                }
                session.lingerOnClose();
                // started only now: a handler that keeps waiting answers nothing, so nothing completes
                start(exchange);
                observe(exchange);
                return null;
            } catch (EOFException e) {
                LOG.log(Level.DEBUG, () -> session + ": client closed in the middle of a request head");
                return null;
            }
        }
    }

    /** Waits for the first byte of the next request; false when the session should end. */
    private boolean awaitRequest() throws IOException {
        if (in.buffered() > 0) {
            return true;
        }
        session.releaseIdleBuffers();
        in.shrink(IDLE_BUFFER);
        in.guard(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(idleMillis), idleMillis);
        // a triggerClose() that came after the loop checked closeWanted but while the session was
        // still BUSY could not close it: check again now that it is IDLE, or it waits out the idle
        // timeout
        if (!session.toIdle() || session.closeWanted()) {
            return false;
        }
        int n;
        try {
            n = in.fill(in.buffer().length);
        } catch (SocketTimeoutException e) {
            LOG.log(Level.DEBUG, () -> session + ": idle timeout");
            return false;
        } catch (IOException e) {
            if (session.state() >= Session.CLOSING) {
                return false; // purged, triggered or server stopping: the socket was closed under us
            }
            throw e;
        }
        return session.toBusy() && n > 0;
    }

    private RequestBody body(RequestHead head) {
        if (head.chunked()) {
            return new ChunkedBody(in, parser, config.maxReqHdrLen(), config.maxContentLength());
        }
        return head.contentLength == 0
                ? RequestBody.Empty.INSTANCE
                : new RequestBody.FixedLength(in, head.contentLength);
    }

    /** Routes and serves one request; true when the connection can take another. */
    private boolean serve(Exchange exchange) throws IOException {
        RequestHead head = exchange.head();
        switch (server.router().route(head.path, head.method)) {
            case UriRouter.Found found -> {
                exchange.routedTo(found.handler());
                exchange.userContext(found.handler().userContext());
                if (found.template() != null) {
                    exchange.pathVariables(found.template().capture(head.path));
                }
                if (found.handler().isWebSocket()
                        && head.method == HttpMethod.GET
                        && WebSocketHandshake.isUpgrade(head)) {
                    upgrade(found.handler(), exchange);
                    return false;
                }
                if (!invoke(found.handler(), exchange)) {
                    return false;
                }
            }
            case UriRouter.NotFound notFound -> {
                if (!answerError(exchange, HttpError.NOT_FOUND_404, true)) {
                    return false;
                }
            }
            case UriRouter.MethodNotAllowed notAllowed -> {
                exchange.httpResponse().serverHeader("Allow", notAllowed.allow());
                if (!answerError(exchange, HttpError.METHOD_NOT_ALLOWED_405, true)) {
                    return false;
                }
            }
        }
        return keepAfter(exchange);
    }

    /**
     * The WebSocket handshake (RFC 6455 §4.2), then the WebSocket runs on this session until it
     * closes. A request that cannot be upgraded gets an HTTP answer and the connection closes; on
     * an ESP-compatible server it gets no answer, as from ESP.
     */
    private void upgrade(UriHandler handler, Exchange exchange) throws IOException {
        RequestHead head = exchange.head();
        Response response = exchange.httpResponse();
        response.closeSession();
        boolean accepted = config.espIdfCompatible()
                ? handshakeAcceptable(handler, exchange) && !response.isCommitted()
                : handshakeAccepted(handler, exchange);
        if (!accepted) {
            return;
        }
        String subprotocol =
                WebSocketHandshake.subprotocol(head, handler.webSocket().supportedSubprotocol());
        byte[] switching = WebSocketHandshake.response(head, subprotocol);
        response.sendRaw(switching, 0, switching.length);
        session.requestServed();
        WebSocketConnection webSocket = new WebSocketConnection(session, in, handler, exchange, subprotocol);
        session.webSocket(webSocket);
        webSocket.run();
    }

    /**
     * The handshake checks with an HTTP answer when one fails: 426 for another version, 400 for a
     * malformed handshake, 403 (or the check's own answer) when the pre-handshake check refuses.
     */
    private boolean handshakeAccepted(UriHandler handler, Exchange exchange) throws IOException {
        RequestHead head = exchange.head();
        Response response = exchange.httpResponse();
        if (!WebSocketHandshake.versionSupported(head)) {
            response.status(426).contentType("text/plain").header("Sec-WebSocket-Version", "13");
            response.send("Only WebSocket version 13 is supported\n");
            return false;
        }
        String problem = WebSocketHandshake.problem(head);
        if (problem != null) {
            LOG.log(Level.DEBUG, () -> session + ": WebSocket handshake refused: " + problem);
            response.sendError(HttpError.BAD_REQUEST_400, "WebSocket handshake refused: " + problem);
            return false;
        }
        WebSocketPreHandshake check = handler.webSocket().preHandshake();
        if (check != null) {
            boolean accepted;
            try {
                accepted = check.accept(exchange, response);
            } catch (Exception e) {
                handlerFailed(handler, exchange, e);
                return false;
            }
            if (!accepted || response.isCommitted()) {
                if (!response.isCommitted()) {
                    response.sendError(HttpError.FORBIDDEN_403, null);
                }
                return false;
            }
        }
        return true;
    }

    /**
     * ESP's handshake checks, answering nothing: version 13 and a key, then the pre-handshake
     * callback. A callback that throws is logged and refuses, as its non-{@code ESP_OK} result.
     */
    private boolean handshakeAcceptable(UriHandler handler, Exchange exchange) {
        RequestHead head = exchange.head();
        String problem = WebSocketHandshake.versionSupported(head) ? WebSocketHandshake.problem(head) : "version";
        if (problem != null) {
            LOG.log(Level.DEBUG, () -> session + ": WebSocket handshake failed (" + problem + "), closing");
            return false;
        }
        WebSocketPreHandshake check = handler.webSocket().preHandshake();
        if (check == null) {
            return true;
        }
        try {
            if (check.accept(exchange, exchange.httpResponse())) {
                return true;
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, session + ": WebSocket pre-handshake check for " + handler.uri() + " failed", e);
        }
        return false;
    }

    private boolean invoke(UriHandler handler, Exchange exchange) throws IOException {
        Response response = exchange.httpResponse();
        try {
            handler.handler().handle(exchange, response);
        } catch (Throwable t) {
            return handlerFailed(handler, exchange, t);
        }
        if (exchange.isAsync()) {
            session.toAsync();
            try {
                exchange.awaitAsyncCompletion();
            } catch (InterruptedException e) {
                return false; // the server is stopping (Session.abort)
            } finally {
                session.fromAsync();
            }
            return response.finished() && !session.closeWanted();
        }
        response.finish();
        return true;
    }

    private boolean handlerFailed(UriHandler handler, Exchange exchange, Throwable t) throws IOException {
        exchange.failed(t);
        Response response = exchange.httpResponse();
        if (t instanceof HttpParseException bad && !response.isCommitted()) {
            // the body the handler was reading is malformed or too large
            LOG.log(
                    Level.DEBUG,
                    () -> session + ": bad request body, answering "
                            + bad.error().status());
            session.lingerOnClose();
            answerError(exchange, bad.error(), false);
            return false;
        }
        if (t instanceof SocketTimeoutException && exchange.bodyTimedOut()) {
            // the client stopped sending its body: its fault, answered as ESP's examples do
            LOG.log(Level.DEBUG, () -> session + ": request body stalled past the receive timeout");
            if (!response.isCommitted()) {
                session.lingerOnClose();
                answerError(exchange, HttpError.REQUEST_TIMEOUT_408, false);
            }
            return false;
        }
        if (session.isClientGone(t)) {
            session.logFailure("client gone during " + handler.method() + " " + handler.uri(), t);
            return false;
        }
        LOG.log(Level.WARNING, session + ": handler for " + handler.method() + " " + handler.uri() + " failed", t);
        if (!response.isCommitted()) {
            session.lingerOnClose();
            answerError(exchange, HttpError.INTERNAL_SERVER_ERROR_500, false);
        }
        return false;
    }

    /** Answers a request whose head could not be parsed, then the session closes. */
    private void answerUnparsed(HttpError error) throws IOException {
        session.lingerOnClose();
        Exchange exchange = new Exchange(session, RequestHead.UNPARSED, RequestBody.Empty.INSTANCE);
        start(exchange);
        try {
            answerError(exchange, error, false);
        } finally {
            observe(exchange);
        }
    }

    /** Tells the observer a request starts; {@link #observe} must follow on this thread. */
    private void start(Exchange exchange) {
        RequestObserver observer = config.requestObserver();
        if (observer != null) {
            try {
                exchange.started(observer);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, session + ": request observer failed", e);
            }
        }
    }

    private void observe(Exchange exchange) {
        server.requestCompleted();
        RequestObserver observer = config.requestObserver();
        if (observer != null) {
            try {
                observer.requestCompleted(exchange.completed());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, session + ": request observer failed", e);
            }
        }
    }

    /**
     * Answers with an error (custom handler or default). Unlike ESP, a default 404/405 keeps the
     * connection: the request was framed correctly, only its target is wrong. ESP-compatible
     * servers close after it, as ESP does.
     */
    private boolean answerError(Exchange exchange, HttpError error, boolean framingIntact) {
        try {
            return exchange.answerError(error, framingIntact, !config.espIdfCompatible());
        } catch (IOException | RuntimeException e) {
            session.logFailure("answering " + error.status() + " failed", e);
            return false;
        }
    }

    /** After a response: drain what the handler left of the body and decide on keep-alive. */
    private boolean keepAfter(Exchange exchange) {
        Response response = exchange.httpResponse();
        if (exchange.closesAfterResponse() || response.closeAnnounced() || !response.finished()) {
            if (!exchange.requestBody().complete()) {
                session.lingerOnClose();
            }
            return false;
        }
        RequestBody body = exchange.requestBody();
        if (body.complete()) {
            return true;
        }
        try {
            if (scratch == null) {
                scratch = new byte[8192];
            }
            if (body.drain(config.maxDrainLength(), scratch, exchange::drained)) {
                return true;
            }
            LOG.log(Level.DEBUG, () -> session + ": unread request body over maxDrainLength, closing");
            session.lingerOnClose();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> session + ": draining the request body failed: " + e);
        }
        return false;
    }
}
