package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.ClientAuth;
import java.util.Locale;
import org.springframework.core.convert.converter.Converter;

/**
 * Binds {@code https-server.ssl.client-auth} from Spring Boot's names ({@code none}, {@code want},
 * {@code need}, as in {@code server.ssl.client-auth}) and from ESP's ({@code optional}, {@code
 * required}), in any case.
 */
final class ClientAuthConverter implements Converter<String, ClientAuth> {

    @Override
    public ClientAuth convert(String source) {
        return switch (source.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> ClientAuth.NONE;
            case "want", "optional" -> ClientAuth.OPTIONAL;
            case "need", "required" -> ClientAuth.REQUIRED;
            default ->
                throw new IllegalArgumentException(
                        "'" + source
                                + "' is not a client authentication mode: use none, want or need (or ESP's optional and required)");
        };
    }
}
