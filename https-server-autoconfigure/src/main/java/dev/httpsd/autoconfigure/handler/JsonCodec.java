package dev.httpsd.autoconfigure.handler;

import java.lang.reflect.Type;

/**
 * JSON for the handler model, with no Jackson type in its signature, so that the model loads
 * without Jackson; {@link JacksonCodec} is the implementation on Spring Boot's {@code JsonMapper}.
 */
interface JsonCodec {

    /** Reads bodies of one type. */
    interface Reader {
        /**
         * @throws RequestBindingException when the body is not JSON or does not fit the type,
         *     saying where
         */
        Object read(byte[] body);
    }

    /** A reader for a parameter's (generic) type, made once at startup. */
    Reader reader(Type type);

    /** The value as JSON bytes (UTF-8). */
    byte[] write(Object value);
}
