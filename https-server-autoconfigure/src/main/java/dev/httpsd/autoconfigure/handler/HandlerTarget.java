package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.RequestHandler;

/** A {@code RequestHandler} bean as a {@link Target}: it writes its response itself. */
final class HandlerTarget implements Target {

    private final RequestHandler handler;

    HandlerTarget(RequestHandler handler) {
        this.handler = handler;
    }

    @Override
    public Object invoke(HandlerInvocation call) throws Exception {
        handler.handle(call.request(), call.response());
        return null;
    }

    @Override
    public void write(Object result, HandlerInvocation call) {
        // the handler wrote the response
    }
}
