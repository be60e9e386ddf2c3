package dev.httpsd.server.http1;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.EventSink;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.InputBuffer;
import dev.httpsd.server.Protocol;
import dev.httpsd.server.RequestObserver;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.UriRouter;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.util.List;

/**
 * HTTP/1.1 on one connection, one request per {@link #serve} call: parse its head (header
 * deadline), route, run the handler, finish the response, and let the exchange's {@link
 * Persistence} decide whether the connection takes another request. Pipelined requests are served
 * in order from the connection's buffer. A request that a registered {@link Upgrade} accepts hands
 * the connection over to another protocol.
 */
final class Http1Protocol implements Protocol {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final ConnectionContext connection;
    private final HttpServerConfig config;
    private final InputBuffer in;
    private final List<Upgrade> upgrades;
    private final int recvMillis;
    private final long headerNanos;
    /*
     * What serving requests takes, made when a request arrives on an idle connection and dropped
     * when it goes idle again: an idle keep-alive connection holds no parser, exchange state or
     * last request. Pipelined requests share them.
     */
    private RequestHeadParser parser;
    private Exchanges exchanges;
    private Persistence persistence;
    private ErrorResponder errors;

    Http1Protocol(ConnectionContext connection, List<Upgrade> upgrades) {
        this.connection = connection;
        this.config = connection.config();
        this.in = connection.input();
        this.upgrades = upgrades;
        this.recvMillis = connection.timeouts().recvMillis();
        this.headerNanos = connection.timeouts().headerNanos();
    }

    @Override
    public int idleMillis(ConnectionContext connection) {
        return connection.timeouts().idleMillis();
    }

    @Override
    public void idleTimedOut(ConnectionContext connection) {
        LOG.log(Level.DEBUG, () -> connection + ": idle timeout");
    }

    @Override
    public Next serve(ConnectionContext connection) throws IOException {
        if (exchanges == null) {
            busy();
        }
        RequestHead head = readHead();
        if (head == null) {
            return Next.CLOSE;
        }
        EventSink events = connection.events();
        if (events.enabled()) {
            HttpSession session = connection.session();
            events.post(new HttpServerEvent.OnHeader(session.id(), session.remoteAddress()));
        }
        in.timeout(recvMillis);
        Exchange exchange = exchange(head, body(head));
        start(exchange);
        Next next = Next.CLOSE;
        try {
            next = serve(exchange);
            if (next == Next.KEEP) {
                // before the request is counted: whoever sees the count sees the LRU tick
                connection.requestServed();
            }
        } finally {
            if (!(next instanceof Next.Upgrade)) {
                observe(exchange);
            }
        }
        if (in.buffered() == 0 || next != Next.KEEP) {
            idle();
        }
        return next;
    }

    /** A request arrived on an idle connection: what serving it takes. */
    private void busy() {
        parser = new RequestHeadParser(
                config.maxUriLen(),
                config.maxReqHdrLen(),
                config.maxHeaderCount(),
                config.maxContentLength(),
                config.espIdfCompatible());
        exchanges = new Exchanges(connection);
        persistence = exchanges.persistence;
        errors = exchanges.errors;
    }

    /** Nothing more to serve for now: the connection waits (or ends) holding none of it. */
    private void idle() {
        parser = null;
        exchanges = null;
        persistence = null;
        errors = null;
    }

    /**
     * Parses the next request head; null when it was answered with an error or the client left,
     * and the connection ends. With a custom 408 handler, reads wait under socket timeouts so that
     * the handler can keep the connection waiting for the rest of the head (ESP's retry), the
     * timeouts starting over; without one a timeout ends the read for good (no timer per read).
     */
    private RequestHead readHead() throws IOException {
        while (true) {
            boolean retryable = connection.errorHandler(HttpError.REQUEST_TIMEOUT_408) != null;
            in.guard(System.nanoTime() + headerNanos, recvMillis, retryable);
            try {
                return parser.parse(in);
            } catch (HttpParseException e) {
                LOG.log(
                        Level.DEBUG,
                        () -> connection + ": bad request, answering "
                                + e.error().status() + ": " + e.getMessage());
                answerUnparsed(e.error());
                return null;
            } catch (SocketTimeoutException e) {
                if (!retryable) {
                    LOG.log(Level.DEBUG, () -> connection + ": request head incomplete at the timeout, answering 408");
                    answerUnparsed(HttpError.REQUEST_TIMEOUT_408);
                    return null;
                }
                Exchange exchange = exchange(RequestHead.UNPARSED, RequestBody.Empty.INSTANCE);
                if (errors.keepWaitingForHead(exchange, exchange.response())) {
                    if (connection.closing()) {
                        return null; // closed meanwhile (trigger, stop): nothing more to wait for
                    }
                    LOG.log(Level.DEBUG, () -> connection + ": request head incomplete, the 408 handler keeps waiting");
                    continue;
                }
                connection.lingerOnClose();
                exchange.response().finish();
                // started only now: a handler that keeps waiting answers nothing, so nothing completes
                start(exchange);
                observe(exchange);
                return null;
            } catch (EOFException e) {
                LOG.log(Level.DEBUG, () -> connection + ": client closed in the middle of a request head");
                return null;
            }
        }
    }

    private Exchange exchange(RequestHead head, RequestBody body) {
        return exchanges.next(head, body);
    }

    private RequestBody body(RequestHead head) {
        if (head.chunked()) {
            return new ChunkedBody(in, parser, config.maxReqHdrLen(), config.maxContentLength());
        }
        return head.contentLength() == 0
                ? RequestBody.Empty.INSTANCE
                : new RequestBody.FixedLength(in, head.contentLength());
    }

    /** Routes and serves one request. */
    private Next serve(Exchange exchange) throws IOException {
        RequestHead head = exchange.head();
        switch (connection.route(head.path(), head.method())) {
            case UriRouter.Found found -> {
                UriHandler handler = found.handler();
                exchange.routedTo(handler);
                exchange.userContext(handler.userContext());
                exchange.pathVariables(found.capture(head.path()));
                for (Upgrade upgrade : upgrades) {
                    if (upgrade.accepts(handler, head)) {
                        return upgrade(upgrade, handler, exchange);
                    }
                }
                if (!invoke(handler, exchange)) {
                    return Next.CLOSE;
                }
            }
            case UriRouter.NotFound notFound -> {
                if (!answerRouteError(exchange, HttpError.NOT_FOUND_404)) {
                    return Next.CLOSE;
                }
            }
            case UriRouter.MethodNotAllowed notAllowed -> {
                exchange.response().serverHeader("Allow", notAllowed.allow());
                if (!answerRouteError(exchange, HttpError.METHOD_NOT_ALLOWED_405)) {
                    return Next.CLOSE;
                }
            }
        }
        return persistence.keepAfter(exchange.response().finished(), exchange) ? Next.KEEP : Next.CLOSE;
    }

    /**
     * Hands the connection to another protocol when the upgrade succeeds. The upgrade request is
     * complete (and observed) when that protocol has ended; a refused upgrade closes the
     * connection after its answer.
     */
    private Next upgrade(Upgrade upgrade, UriHandler handler, Exchange exchange) throws IOException {
        exchange.response().closeSession();
        Protocol next;
        try {
            next = upgrade.upgrade(handler, exchange, connection, () -> observe(exchange));
        } catch (Exception e) {
            handlerFailed(handler, exchange, e);
            return Next.CLOSE;
        }
        return next == null ? Next.CLOSE : Next.upgrade(next);
    }

    /**
     * Runs the handler and completes its response.
     *
     * @return false when the handler failed (its failure answered) or the server stopped while
     *     it was detached: the connection closes with no more to decide
     */
    private boolean invoke(UriHandler handler, Exchange exchange) throws IOException {
        Response response = exchange.response();
        try {
            handler.handler().handle(exchange, response);
        } catch (Throwable t) {
            handlerFailed(handler, exchange, t);
            return false;
        }
        if (exchange.isAsync()) {
            try {
                exchange.awaitAsyncCompletion();
            } catch (InterruptedException e) {
                return false; // the server is stopping (Session.abort)
            }
            return true;
        }
        response.finish();
        return true;
    }

    /**
     * A handler threw: a malformed or oversized body, or one that stalled, is the client's fault
     * and answered with its status; a hang-up is logged at DEBUG; anything else is a server error,
     * logged with its stack and answered 500. The connection closes in every case.
     */
    private void handlerFailed(UriHandler handler, Exchange exchange, Throwable t) {
        exchange.failed(t);
        Response response = exchange.response();
        if (t instanceof HttpParseException bad && !response.isCommitted()) {
            LOG.log(
                    Level.DEBUG,
                    () -> connection + ": bad request body, answering "
                            + bad.error().status());
            connection.lingerOnClose();
            answerAndClose(exchange, bad.error());
            return;
        }
        if (t instanceof SocketTimeoutException && exchange.bodyTimedOut()) {
            // the client stopped sending its body: its fault, answered as ESP's examples do
            LOG.log(Level.DEBUG, () -> connection + ": request body stalled past the receive timeout");
            if (!response.isCommitted()) {
                connection.lingerOnClose();
                answerAndClose(exchange, HttpError.REQUEST_TIMEOUT_408);
            }
            return;
        }
        if (connection.isClientGone(t)) {
            connection.logFailure("client gone during " + handler.method() + " " + handler.uri(), t);
            return;
        }
        LOG.log(Level.WARNING, connection + ": handler for " + handler.method() + " " + handler.uri() + " failed", t);
        if (!response.isCommitted()) {
            connection.lingerOnClose();
            answerAndClose(exchange, HttpError.INTERNAL_SERVER_ERROR_500);
        }
    }

    /** Answers a request whose head could not be parsed, then the connection closes. */
    private void answerUnparsed(HttpError error) {
        connection.lingerOnClose();
        Exchange exchange = exchange(RequestHead.UNPARSED, RequestBody.Empty.INSTANCE);
        start(exchange);
        try {
            answerAndClose(exchange, error);
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
                LOG.log(Level.WARNING, connection + ": request observer failed", e);
            }
        }
    }

    private void observe(Exchange exchange) {
        connection.requestCompleted();
        RequestObserver observer = config.requestObserver();
        if (observer != null) {
            try {
                observer.requestCompleted(exchange.completed());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, connection + ": request observer failed", e);
            }
        }
    }

    /**
     * Answers a route error (custom handler or default). Unlike ESP, a default 404/405 keeps the
     * connection: the request was framed correctly, only its target is wrong. ESP-compatible
     * servers close after it, as ESP does.
     *
     * @return false when answering failed: the connection closes
     */
    private boolean answerRouteError(Exchange exchange, HttpError error) {
        try {
            errors.answerRouteError(exchange, exchange.response(), error);
            exchange.response().finish();
            return true;
        } catch (IOException | RuntimeException e) {
            connection.logFailure("answering " + error.status() + " failed", e);
            return false;
        }
    }

    /** Answers an error after which the connection closes; a failure to answer is only logged. */
    private void answerAndClose(Exchange exchange, HttpError error) {
        try {
            errors.answerAndClose(exchange, exchange.response(), error);
            exchange.response().finish();
        } catch (IOException | RuntimeException e) {
            connection.logFailure("answering " + error.status() + " failed", e);
        }
    }
}
