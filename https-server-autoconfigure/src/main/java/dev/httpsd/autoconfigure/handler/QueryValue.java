package dev.httpsd.autoconfigure.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * Binds a handler method parameter to a query parameter, as Spring developers know it: the key
 * compared exactly (ESP's {@code request.queryValue} ignores case), key and value percent- and
 * {@code +}-decoded as UTF-8, a key without {@code =} taken as empty, a {@code List} taking every
 * value of a repeated key; and
 * converted to the parameter's type by Spring Boot's conversion service: {@code String}, numbers,
 * {@code boolean}, enums, {@code UUID}, {@code Duration}… A value that does not convert is
 * answered {@code 400} naming the parameter. With spring-web on the class path Spring's
 * {@code @RequestParam} does the same.
 *
 * <p>Missing and required (the default) is a {@code 400}; not required, or {@code Optional}, or
 * {@code @Nullable}, the parameter is empty or {@code null} instead, or the {@link #defaultValue}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface QueryValue {

    /** Alias for {@link #name}. */
    @AliasFor("name")
    String value() default "";

    /** The name; the parameter's name when empty (compiled with {@code -parameters}). */
    @AliasFor("value")
    String name() default "";

    /** Whether a request without it is answered {@code 400}. */
    boolean required() default true;

    /** The value when the request has none; implies not required. */
    String defaultValue() default ValueDefaults.NONE;
}
