package dev.httpsd.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the port of the plain HTTP listener that redirects to HTTPS ({@code
 * https-server.redirect-insecure: true}), published as {@code local.https-server.port-insecure}.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${local.https-server.port-insecure}")
public @interface LocalHttpsServerInsecurePort {}
