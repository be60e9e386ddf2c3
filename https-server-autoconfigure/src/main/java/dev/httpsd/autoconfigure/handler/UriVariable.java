package dev.httpsd.autoconfigure.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * Binds a handler method parameter to a variable of the handler's URI template, as {@code id} in
 * {@code /items/{id}} ({@code request.pathVariable(name)}), percent-decoded as UTF-8, and
 * converted to the parameter's type by Spring Boot's conversion service: {@code String}, numbers,
 * {@code boolean}, enums, {@code UUID}, {@code Duration}… A value that does not convert is
 * answered {@code 400} naming the parameter. With spring-web on the class path Spring's
 * {@code @PathVariable} does the same.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface UriVariable {

    /** Alias for {@link #name}. */
    @AliasFor("name")
    String value() default "";

    /** The name; the parameter's name when empty (compiled with {@code -parameters}). */
    @AliasFor("value")
    String name() default "";
}
