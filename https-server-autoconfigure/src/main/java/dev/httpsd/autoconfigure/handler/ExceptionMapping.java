package dev.httpsd.autoconfigure.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method of any bean as exception advice: it answers requests whose handler (or its
 * argument binding, or an interceptor) threw one of the exception types, for every handler
 * registered through the annotations or as a bean. httpsd's counterpart of
 * {@code @ExceptionHandler} in a {@code @ControllerAdvice}.
 *
 * <p>Parameters: the exception (any parameter of a {@code Throwable} type), and optionally
 * {@code HttpRequest}, {@code HttpResponse}, {@link HandlerInvocation}. The return value is
 * written as a handler's is ({@link Reply}, an object as JSON, a {@code String}…), with {@link
 * #status} unless it is a {@code Reply}; {@code void} means the method wrote the response itself.
 *
 * <p>The most specific type wins: the advice whose declared type is nearest to the thrown
 * exception's class, over all advice beans; between equally near ones the bean with the lower
 * {@code @Order} or {@code Ordered} value, then bean definition order. An exception no advice
 * takes is matched again through its causes. Protocol errors (malformed requests, timeouts) never
 * reach advice: they take the server's error-handler path ({@code registerErrorHandler}), as do
 * handler failures that no advice takes.
 *
 * <pre>{@code
 * @Component
 * class NotFoundAdvice {
 *     @ExceptionMapping(status = 404)
 *     Map<String, String> missing(NoSuchElementException e) {
 *         return Map.of("error", "no such item");
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface ExceptionMapping {

    /** The exception types taken; when empty, the types of the method's {@code Throwable} parameters. */
    Class<? extends Throwable>[] value() default {};

    /**
     * The status of the answer; 0 (the default) for the exception's own status (an {@link
     * HttpStatusException}'s, or Spring Web's {@code ErrorResponse}'s), else 500. A returned
     * {@link Reply} sets its own.
     */
    int status() default 0;
}
