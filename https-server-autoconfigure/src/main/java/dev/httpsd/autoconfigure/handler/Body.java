package dev.httpsd.autoconfigure.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a handler method parameter to the request body: {@code byte[]}, {@code String} (in the
 * {@code Content-Type}'s charset, UTF-8 by default), {@code InputStream} (streamed, not
 * buffered), or any other type read from JSON with Spring Boot's {@code JsonMapper} (the request
 * must say {@code Content-Type: application/json} or {@code application/*+json}, else {@code
 * 415}). Bodies read into memory are limited by {@code https-server.codec.max-in-memory-size}
 * ({@code 413} beyond). Malformed JSON, or JSON that does not fit the type, is answered {@code
 * 400} with where it went wrong. With {@code @Valid} (or Spring's {@code @Validated}) the object
 * is validated by the application's {@code jakarta.validation.Validator}, and violations are
 * answered {@code 400} listing them. With spring-web on the class path Spring's
 * {@code @RequestBody} does the same.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Body {

    /** Whether an empty body is answered {@code 400}; otherwise the parameter is {@code null} or empty. */
    boolean required() default true;
}
