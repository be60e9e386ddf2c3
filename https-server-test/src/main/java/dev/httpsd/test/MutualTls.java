package dev.httpsd.test;

import dev.httpsd.server.tls.ClientAuth;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Mutual TLS in a {@code @SpringBootTest}: the server trusts the context's test CA for client
 * certificates ({@code https-server.ssl.ca-certificate}) and asks for one as {@link #value()}
 * says, and {@link LocalHttpsServer}'s clients present the client certificate that CA issued.
 * {@link LocalHttpsServer#sslContextWithoutClientCertificate()} is for a client that presents none.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface MutualTls {

    /** {@link ClientAuth#REQUIRED} (Boot's {@code need}) or {@link ClientAuth#OPTIONAL} ({@code want}). */
    ClientAuth value() default ClientAuth.REQUIRED;
}
