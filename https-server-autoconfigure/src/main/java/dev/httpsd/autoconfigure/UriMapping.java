package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpMethod;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;

/**
 * Registers a method of any bean as a URI handler. Parameters: {@link
 * dev.httpsd.server.HttpRequest} and/or {@link dev.httpsd.server.HttpResponse}, in any order.
 * Return type: {@code void} (the method writes the response), or {@code String} / {@code byte[]}
 * (sent as the body unless the method already sent a response). Any other signature fails the
 * application start with a message naming the bean and method. The methods are invoked
 * reflectively, so ahead-of-time processing ({@code @Reflective}) registers them for native images.
 *
 * <pre>{@code
 * @UriMapping(uri = "/hello")
 * String hello(HttpRequest request) {
 *     return "Hello " + request.decodedQueryValue("name").orElse("World");
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface UriMapping {

    /** The URI template ({@code httpd_uri_t.uri}). */
    String uri();

    /** The methods served; one registration each. {@link HttpMethod#ANY} serves all. */
    HttpMethod[] method() default HttpMethod.GET;

    /** Handed to the handler as {@code request.userContext()}; empty for none. */
    String userContext() default "";

    /**
     * A WebSocket endpoint ({@code is_websocket}): the handler is called after the handshake and
     * once per frame. If the bean implements {@link dev.httpsd.server.WebSocketPreHandshake}, it
     * decides on every upgrade first.
     */
    boolean webSocket() default false;

    /** Deliver PING/PONG/CLOSE frames to the handler ({@code handle_ws_control_frames}). */
    boolean handleControlFrames() default false;

    /** The WebSocket subprotocol accepted when offered ({@code supported_subprotocol}); empty for none. */
    String subprotocol() default "";
}
