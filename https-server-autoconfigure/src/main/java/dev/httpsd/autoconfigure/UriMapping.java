package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpMethod;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AliasFor;

/**
 * Registers a method of any bean as a URI handler. On the bean's class it gives the URI prefix of
 * every mapped method (and default {@code produces} / {@code consumes}); as a meta-annotation it
 * makes composed annotations such as {@link GetUri}.
 *
 * <p>The URI may be a template ({@code /items/{id}}, a trailing {@code {*rest}}). Parameters are
 * bound from the request and the return value is written as the response body: see the package
 * {@link dev.httpsd.autoconfigure.handler} for what a method may take and return. A {@code String}
 * is sent as {@code text/plain;charset=UTF-8}, any other object as JSON, unless {@link #produces}
 * says otherwise. A signature that cannot be served fails the application start with a message
 * naming the bean and method. The methods are invoked reflectively, so ahead-of-time processing
 * ({@code @Reflective}) registers them for native images, with the types they read from and write
 * to JSON.
 *
 * <pre>{@code
 * @Component
 * @UriMapping("/api/items")
 * class Items {
 *     @GetUri("/{id}")
 *     Item item(@UriVariable long id) {
 *         return repository.find(id);
 *     }
 * }
 * }</pre>
 *
 * <p>When several registrations match a request path, an exact URI wins over a template and a
 * template over an ESP wildcard ({@code uri-match: wildcard}); among templates the one with fewer
 * variables, then more literal characters, then without a rest variable; then the lower {@link
 * #order}, then {@code @Order} on the method or bean, then bean definition order.
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(HandlerReflectiveProcessor.class)
public @interface UriMapping {

    /** Alias for {@link #uri}. */
    @AliasFor("uri")
    String value() default "";

    /**
     * The URI or URI template ({@code httpd_uri_t.uri}); appended to the class-level prefix, if
     * any. May be empty on a method of a class with a prefix: the prefix itself.
     */
    @AliasFor("value")
    String uri() default "";

    /**
     * The methods served; one registration each. {@link HttpMethod#ANY} serves all. Ignored on a
     * class, where only a non-default value is an error.
     */
    HttpMethod[] method() default HttpMethod.GET;

    /**
     * The media types the method answers with, first acceptable one first; a request whose {@code
     * Accept} takes none of them is answered {@code 406}. Empty: {@code text/plain;charset=UTF-8}
     * for a {@code String}, JSON for an object.
     */
    String[] produces() default {};

    /**
     * The request {@code Content-Type}s accepted; a request with a body of another type is
     * answered {@code 415}. Empty: any (a JSON body still needs a JSON content type).
     */
    String[] consumes() default {};

    /** Decides between registrations of equal precedence matching the same path: lower first. */
    int order() default Ordered.LOWEST_PRECEDENCE;

    /** Handed to the handler as {@code request.userContext()}; empty for none. */
    String userContext() default "";

    /**
     * A WebSocket endpoint ({@code is_websocket}): the handler is called after the handshake and
     * once per frame. If the bean implements {@link dev.httpsd.server.WebSocketPreHandshake}, it
     * decides on every upgrade first. Its parameters are {@code HttpRequest} and/or {@code
     * HttpResponse} only, and it returns nothing.
     */
    boolean webSocket() default false;

    /** Deliver PING/PONG/CLOSE frames to the handler ({@code handle_ws_control_frames}). */
    boolean handleControlFrames() default false;

    /** The WebSocket subprotocol accepted when offered ({@code supported_subprotocol}); empty for none. */
    String subprotocol() default "";
}
