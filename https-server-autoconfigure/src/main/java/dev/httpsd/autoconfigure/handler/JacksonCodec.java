package dev.httpsd.autoconfigure.handler;

import java.lang.reflect.Type;
import org.springframework.beans.factory.BeanFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

/** {@link JsonCodec} on a Jackson 3 {@link JsonMapper}: Spring Boot's, so its customizations apply. */
final class JacksonCodec implements JsonCodec {

    private final JsonMapper mapper;

    JacksonCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** On the application's {@code JsonMapper} bean (Spring Boot's), else a mapper with Jackson's defaults. */
    static JsonCodec create(BeanFactory beans) {
        return new JacksonCodec(beans.getBeanProvider(JsonMapper.class)
                .getIfAvailable(() -> JsonMapper.builder().build()));
    }

    @Override
    public Reader reader(Type type) {
        ObjectReader reader = mapper.readerFor(mapper.constructType(type));
        String typeName = simpleName(type);
        return body -> {
            try {
                return reader.readValue(body);
            } catch (InvalidDefinitionException e) {
                // the type cannot be read from JSON at all: the application's fault, not the client's
                throw new IllegalStateException(
                        "Cannot read " + type.getTypeName() + " from JSON: " + e.getOriginalMessage(), e);
            } catch (StreamReadException e) {
                throw new RequestBindingException(
                        "Malformed JSON in the request body" + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
            } catch (ValueInstantiationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new RequestBindingException(
                        "The request body is not a valid " + typeName + path(e) + ": " + cause.getMessage(), e);
            } catch (JacksonException e) {
                throw new RequestBindingException(
                        "The request body does not fit " + typeName + path(e) + at(e.getLocation()) + ": "
                                + e.getOriginalMessage(),
                        e);
            }
        };
    }

    @Override
    public byte[] write(Object value) {
        return mapper.writeValueAsBytes(value);
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The JSON path of the failure, e.g. {@code  at 'items[2].name'}; empty at the root. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
        }
        return path.isEmpty() ? "" : " at '" + path + "'";
    }

    private static String simpleName(Type type) {
        return type instanceof Class<?> c ? c.getSimpleName() : type.getTypeName();
    }
}
