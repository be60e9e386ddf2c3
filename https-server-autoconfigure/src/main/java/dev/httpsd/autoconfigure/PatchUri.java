package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpMethod;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AliasFor;

/**
 * {@link UriMapping @UriMapping(method = PATCH)}: {@code @PatchUri("/items/{id}")}. Named after
 * {@code @UriMapping} rather than Spring Web's {@code @PatchMapping}, so that a class may import
 * both (an application using Spring MVC or WebFlux beside httpsd) without a name clash.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@UriMapping(method = HttpMethod.PATCH)
public @interface PatchUri {

    /** Alias for {@link #uri}. */
    @AliasFor(annotation = UriMapping.class, attribute = "uri")
    String value() default "";

    /** See {@link UriMapping#uri}. */
    @AliasFor(annotation = UriMapping.class, attribute = "uri")
    String uri() default "";

    /** See {@link UriMapping#produces}. */
    @AliasFor(annotation = UriMapping.class)
    String[] produces() default {};

    /** See {@link UriMapping#consumes}. */
    @AliasFor(annotation = UriMapping.class)
    String[] consumes() default {};

    /** See {@link UriMapping#order}. */
    @AliasFor(annotation = UriMapping.class)
    int order() default Ordered.LOWEST_PRECEDENCE;

    /** See {@link UriMapping#userContext}. */
    @AliasFor(annotation = UriMapping.class)
    String userContext() default "";
}
