package dev.httpsd.server.http2;

import dev.httpsd.server.ConnectionContext;
import dev.httpsd.server.ErrorHandler;
import dev.httpsd.server.HttpError;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.RequestObserver;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.UriRouter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;

/**
 * What a stream's virtual thread does: route the request, run its handler (and wait for a detached
 * one), answer what goes wrong with a status (or a reset once the response is committed), complete
 * the stream and tell the request observer. The HTTP/2 counterpart of HTTP/1.1's request handling.
 */
final class StreamRunner implements Runnable {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final Http2Stream stream;
    private final Http2Protocol protocol;
    private final ConnectionContext connection;
    private Http2Response response;

    StreamRunner(Http2Stream stream) {
        this.stream = stream;
        this.protocol = stream.connectionProtocol();
        this.connection = protocol.connection;
    }

    @Override
    public void run() {
        try {
            serveStream();
        } finally {
            protocol.handlerReturned();
        }
    }

    private void serveStream() {
        response = stream.begin();
        if (stream.head() == null) {
            answerError(HttpError.REQUEST_HEADER_FIELDS_TOO_LARGE_431);
            stream.finish();
            return;
        }
        RequestObserver observer = connection.config().requestObserver();
        if (observer != null) {
            try {
                stream.started(observer);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, connection + ": request observer failed", e);
            }
        }
        try {
            serve();
        } finally {
            stream.finish();
            observe(observer);
        }
    }

    private void serve() {
        if (stream.method() == null || stream.head().path() == null) {
            answerError(HttpError.METHOD_NOT_IMPLEMENTED_501);
            return;
        }
        switch (connection.route(stream.path(), stream.method())) {
            case UriRouter.Found found -> {
                UriHandler handler = found.handler();
                stream.routedTo(handler, found.capture(stream.path()));
                if (handler.isWebSocket()) {
                    // RFC 8441 (WebSocket over HTTP/2) is not offered: the client retries on HTTP/1.1
                    protocol.reset(stream, ErrorCode.HTTP_1_1_REQUIRED);
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
            handler.handler().handle(stream, response);
            stream.awaitAsync();
            response.finish();
        } catch (Throwable t) {
            handlerFailed(handler, t);
        }
    }

    private void handlerFailed(UriHandler handler, Throwable t) {
        stream.failed(t);
        boolean gone;
        protocol.lock.lock();
        try {
            gone = stream.isReset();
        } finally {
            protocol.lock.unlock();
        }
        if (gone || connection.isClientGone(t)) {
            LOG.log(
                    Level.DEBUG,
                    () -> connection + ": stream " + stream.id() + " ended during " + handler.uri() + ": " + t);
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
            protocol.reset(stream, ErrorCode.INTERNAL_ERROR);
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
                    custom.handle(stream, response, error);
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

    private void observe(RequestObserver observer) {
        if (observer == null) {
            return;
        }
        try {
            observer.requestCompleted(stream.completed());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, connection + ": request observer failed", e);
        }
    }
}
