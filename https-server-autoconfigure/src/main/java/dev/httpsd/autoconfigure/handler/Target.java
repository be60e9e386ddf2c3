package dev.httpsd.autoconfigure.handler;

/** What a {@link HandlerPipeline} runs: a mapped method, or a {@code RequestHandler}. */
interface Target {

    /**
     * Binds the arguments and invokes the handler.
     *
     * @return what it returned, for {@link #write}
     */
    Object invoke(HandlerInvocation call) throws Exception;

    /** Writes what {@link #invoke} returned, after the interceptors' {@code after}. */
    void write(Object result, HandlerInvocation call) throws Exception;
}
