package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import org.springframework.core.Ordered;

/**
 * Runs around every handler registered through the annotations or as a bean ({@code
 * RequestHandler} beans and {@code @Bean UriHandler}s included; not WebSocket endpoints, nor
 * handlers registered on the server by hand). Beans of this type form one chain in {@code @Order}
 * / {@link Ordered} order: {@link #before} in that order, {@link #after} and {@link #completed} in
 * reverse. httpsd's counterpart of Spring MVC's {@code HandlerInterceptor}.
 *
 * <p>httpsd's own interceptors come first: response compression at {@link #COMPRESSION_ORDER},
 * CORS at {@link #CORS_ORDER}; an authentication interceptor with the default order runs after
 * CORS, so preflight requests are answered before it.
 *
 * <p>A detached request ({@code request.beginAsync()}) is complete for the chain when its handler
 * returns: {@code after} and {@code completed} run then.
 */
public interface RequestInterceptor {

    /** Where httpsd's compression interceptor ({@code https-server.compression.*}) sits. */
    int COMPRESSION_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    /** Where httpsd's CORS interceptor ({@code https-server.cors.*}) sits. */
    int CORS_ORDER = Ordered.HIGHEST_PRECEDENCE + 200;

    /**
     * Whether this interceptor runs for a handler at all; asked once per handler at startup, so
     * an interceptor meant for some URIs costs the others nothing.
     */
    default boolean appliesTo(MappedHandler handler) {
        return true;
    }

    /**
     * Before the handler (and before its arguments are bound).
     *
     * @return {@code true} to go on; {@code false} when this interceptor answered the request
     *     itself (it should have sent a response): the handler and the later interceptors do not
     *     run, and the earlier ones' {@link #completed} does
     * @throws Exception to fail the request: exception advice may answer it
     */
    default boolean before(HttpRequest request, HttpResponse response, HandlerInvocation invocation) throws Exception {
        return true;
    }

    /**
     * After the handler returned normally and before its return value is written, so headers can
     * still be added unless the handler wrote the response itself ({@code response.isCommitted()}).
     *
     * @throws Exception to fail the request: exception advice may answer it
     */
    default void after(HttpRequest request, HttpResponse response, HandlerInvocation invocation) throws Exception {}

    /**
     * Once the request is complete, whatever happened, for every interceptor whose {@link #before}
     * returned {@code true}. An exception thrown here is logged and goes no further.
     *
     * @param failure what the handler, its binding or an interceptor threw (whether or not advice
     *     answered it), or {@code null}
     */
    default void completed(HttpRequest request, HttpResponse response, HandlerInvocation invocation, Throwable failure)
            throws Exception {}
}
