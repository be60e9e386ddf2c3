package dev.httpsd.autoconfigure.handler;

/** Where one parameter of a handler or advice method gets its value for a request. */
@FunctionalInterface
interface ArgumentResolver {

    /**
     * @throws HttpStatusException when the request cannot supply the value (400, 406, 413, 415)
     * @throws java.io.IOException when reading the request failed: the server's path, not advice
     */
    Object resolve(HandlerInvocation call) throws Exception;
}
