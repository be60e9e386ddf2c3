package dev.httpsd.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records the server's events in a {@code @SpringBootTest}: the context gets a {@link
 * ServerEventRecorder} bean, which the auto-configuration registers on the server and which is
 * cleared before each test method.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface RecordServerEvents {}
