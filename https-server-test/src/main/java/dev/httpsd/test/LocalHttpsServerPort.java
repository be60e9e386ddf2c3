package dev.httpsd.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the port the httpsd server listens on ({@code local.https-server.port}): the TLS port,
 * or the plain HTTP port in {@code transport-mode: insecure}. For the management port use Spring
 * Boot's {@code @LocalManagementPort}, which httpsd's management listener publishes too.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${local.https-server.port}")
public @interface LocalHttpsServerPort {}
