package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.MimeType;

/**
 * Binds request bodies: bytes, text, the stream, or an object read from JSON and validated. Bodies
 * read into memory are bounded by {@code https-server.codec.max-in-memory-size}.
 */
final class RequestBodies {

    private final JsonCodec json;
    private final BodyValidator validator;
    private final long maxInMemory;

    /**
     * @param json {@code null} without Jackson
     * @param validator {@code null} when the application has no {@code jakarta.validation.Validator}
     */
    RequestBodies(JsonCodec json, BodyValidator validator, long maxInMemory) {
        this.json = json;
        this.validator = validator;
        this.maxInMemory = maxInMemory;
    }

    ArgumentResolver resolver(MethodParameter parameter, boolean required) {
        MethodParameter target = parameter.nestedIfOptional();
        Class<?> type = target.getNestedParameterType();
        boolean optional = !required || parameter.isOptional();
        boolean wrap = parameter.getParameterType() == Optional.class;
        if (type == InputStream.class) {
            return call ->
                    wrap ? Optional.of(call.request().body()) : call.request().body();
        }
        if (type == byte[].class) {
            return call -> present(read(call.request()), optional, wrap);
        }
        if (type == String.class) {
            return call -> {
                byte[] bytes = read(call.request());
                return present(bytes.length == 0 ? null : new String(bytes, charset(call.request())), optional, wrap);
            };
        }
        if (json == null) {
            throw new IllegalArgumentException("the body parameter " + Arguments.describe(parameter)
                    + " is read from JSON, but Jackson is not on the class path: add spring-boot-starter-jackson");
        }
        Class<?>[] groups = validationGroups(parameter);
        if (groups != null && validator == null) {
            throw new IllegalArgumentException("the body parameter " + Arguments.describe(parameter)
                    + " is to be validated, but the application has no jakarta.validation.Validator:"
                    + " add spring-boot-starter-validation");
        }
        JsonCodec.Reader reader = json.reader(target.getNestedGenericParameterType());
        return call -> {
            HttpRequest request = call.request();
            if (request.contentLength() == 0) {
                return present(null, optional, wrap);
            }
            requireJson(request);
            byte[] bytes = read(request);
            Object value = bytes.length == 0 ? null : reader.read(bytes);
            if (value != null && groups != null) {
                validator.validate(value, groups);
            }
            return present(value, optional, wrap);
        };
    }

    private static Object present(Object value, boolean optional, boolean wrap) {
        boolean empty = value == null || (value instanceof byte[] bytes && bytes.length == 0);
        if (empty && !optional) {
            throw new RequestBindingException("Required request body is missing", null);
        }
        if (wrap) {
            return empty ? Optional.empty() : Optional.of(value);
        }
        return empty ? null : value;
    }

    /**
     * The whole body, at most {@code maxInMemory} bytes.
     *
     * @throws HttpStatusException {@code 413} when it is longer
     */
    private byte[] read(HttpRequest request) throws IOException {
        long length = request.contentLength();
        if (length > maxInMemory) {
            throw tooLarge(length + " bytes");
        }
        InputStream body = request.body();
        if (length >= 0) {
            return body.readNBytes((int) length);
        }
        byte[] bytes = body.readNBytes((int) Math.min(maxInMemory + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > maxInMemory) {
            throw tooLarge("more than " + maxInMemory + " bytes");
        }
        return bytes;
    }

    private HttpStatusException tooLarge(String size) {
        return new HttpStatusException(
                413,
                "The request body (" + size + ") is larger than the " + maxInMemory
                        + " bytes a handler reads into memory (https-server.codec.max-in-memory-size)");
    }

    private static void requireJson(HttpRequest request) {
        String header = request.header("Content-Type").orElse(null);
        MimeType type = MediaTypes.contentType(header);
        if (type == null || !MediaTypes.isJson(type)) {
            throw new HttpStatusException(
                    415,
                    (type == null
                                    ? "The request has no Content-Type"
                                    : "Content-Type '" + header + "' is not supported")
                            + ": the body is read as JSON, send Content-Type: application/json");
        }
    }

    private static Charset charset(HttpRequest request) {
        MimeType type = MediaTypes.contentType(request.header("Content-Type").orElse(null));
        try {
            return type == null || type.getCharset() == null ? StandardCharsets.UTF_8 : type.getCharset();
        } catch (RuntimeException e) {
            throw new HttpStatusException(415, "Unsupported charset in Content-Type: " + e.getMessage(), e);
        }
    }

    /** The groups to validate with ({@code @Valid}: none, the default group), or {@code null} for no validation. */
    private static Class<?>[] validationGroups(MethodParameter parameter) {
        MergedAnnotations annotations = MergedAnnotations.from(parameter, parameter.getParameterAnnotations());
        if (annotations.isPresent("jakarta.validation.Valid")) {
            return new Class<?>[0];
        }
        MergedAnnotation<?> validated = annotations.get("org.springframework.validation.annotation.Validated");
        return validated.isPresent() ? validated.getClassArray("value") : null;
    }
}
