package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpMethod;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.stereotype.Component;

/**
 * Registers a bean implementing {@link dev.httpsd.server.RequestHandler} as a URI handler
 * ({@code httpd_register_uri_handler}). The class becomes a component, found by component scan.
 *
 * <pre>{@code
 * @UriHandlerBean(uri = "/hello", method = HttpMethod.GET)
 * class Hello implements RequestHandler {
 *     public void handle(HttpRequest request, HttpResponse response) throws IOException {
 *         response.contentType("text/plain").send("Hello World!");
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface UriHandlerBean {

    /** The URI template ({@code httpd_uri_t.uri}). */
    String uri();

    /** The methods served; one registration each. {@link HttpMethod#ANY} serves all. */
    HttpMethod[] method() default HttpMethod.GET;

    /** Handed to the handler as {@code request.userContext()} ({@code user_ctx}); empty for none. */
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
