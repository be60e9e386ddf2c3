package dev.httpsd.autoconfigure.handler;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * Writes what handler and advice methods return: {@code String} as {@code
 * text/plain;charset=UTF-8}, {@code byte[]} as {@code application/octet-stream}, an {@code
 * InputStream} streamed in chunks, a {@code Path} as that file ({@code sendFile}, 404 when there is
 * no such file), a {@link Reply} or {@code ResponseEntity} with its status and
 * headers, any other object as JSON; each in the type the method declared in {@code produces} or
 * set on the response, if it did. Nothing is written once the method sent a response itself.
 */
final class ReturnValues {

    /** How a declared return type is written. */
    enum Kind {
        NONE,
        TEXT,
        BYTES,
        STREAM,
        FILE,
        REPLY,
        ENTITY,
        JSON,
        /** Declared {@code Object}: decided by the value. */
        DYNAMIC
    }

    private static final int STREAM_BUFFER = 8192;

    private final JsonCodec json;
    private final SpringWebSupport springWeb;

    /**
     * @param json {@code null} without Jackson
     * @param springWeb {@code null} without spring-web
     */
    ReturnValues(JsonCodec json, SpringWebSupport springWeb) {
        this.json = json;
        this.springWeb = springWeb;
    }

    /**
     * How a method's return values are written.
     *
     * @throws IllegalArgumentException when they cannot be, saying why
     */
    Kind kind(Method method, List<MimeType> produces) {
        Class<?> type = method.getReturnType();
        Kind kind;
        if (type == void.class || type == Void.class) {
            kind = Kind.NONE;
        } else if (type == String.class || type == CharSequence.class) {
            kind = Kind.TEXT;
        } else if (type == byte[].class) {
            kind = Kind.BYTES;
        } else if (InputStream.class.isAssignableFrom(type)) {
            kind = Kind.STREAM;
        } else if (Path.class.isAssignableFrom(type)) {
            kind = Kind.FILE;
        } else if (type == Reply.class) {
            kind = Kind.REPLY;
        } else if (springWeb != null && springWeb.isEntity(type)) {
            kind = Kind.ENTITY;
        } else if (type == Object.class) {
            kind = Kind.DYNAMIC;
        } else {
            kind = Kind.JSON;
        }
        if (kind == Kind.JSON) {
            if (json == null) {
                throw new IllegalArgumentException(
                        "it returns " + method.getGenericReturnType().getTypeName()
                                + ", written as JSON, but Jackson is not on the class path: add spring-boot-starter-jackson");
            }
            for (MimeType produced : produces) {
                if (!MediaTypes.isJson(produced)) {
                    throw new IllegalArgumentException(
                            "it returns " + type.getSimpleName()
                                    + ", which is written as JSON, but produces " + produced
                                    + ": declare a JSON type (application/json, application/*+json) or return String or byte[]");
                }
            }
        }
        return kind;
    }

    /** The status of Spring Web's {@code @ResponseStatus} on the method, or 0. */
    int declaredStatus(Method method) {
        return springWeb == null ? 0 : springWeb.responseStatus(method);
    }

    /**
     * Writes a return value.
     *
     * @param status the status for a value that carries none (0: leave it)
     */
    void write(Kind kind, Object value, HandlerInvocation call, int status) throws IOException {
        HandlerResponse response = call.response();
        if (kind == Kind.NONE || response.isCommitted()) {
            return;
        }
        if (value instanceof Reply<?> reply) {
            writeBody(reply.body(), call, reply.status(), reply.headers());
        } else if (springWeb != null && value != null && springWeb.isEntity(value.getClass())) {
            SpringWebSupport.Parts parts = springWeb.parts(value);
            writeBody(parts.body(), call, parts.status(), parts.headers());
        } else {
            writeBody(value, call, status, List.of());
        }
    }

    private void writeBody(Object body, HandlerInvocation call, int status, List<Reply.Header> headers)
            throws IOException {
        HandlerResponse response = call.response();
        if (status != 0) {
            response.status(status);
        }
        for (Reply.Header header : headers) {
            response.header(header.name(), header.value());
        }
        if (body == null) {
            return; // the server answers with the status and no body
        }
        if (body instanceof CharSequence text) {
            response.defaultContentType(textType(call.produced()));
            response.send(text.toString().getBytes(StandardCharsets.UTF_8));
        } else if (body instanceof byte[] bytes) {
            response.defaultContentType(
                    call.produced() == null
                            ? MediaTypes.OCTET_STREAM
                            : call.produced().toString());
            response.send(bytes);
        } else if (body instanceof InputStream stream) {
            response.defaultContentType(
                    call.produced() == null
                            ? MediaTypes.OCTET_STREAM
                            : call.produced().toString());
            stream(stream, response);
        } else if (body instanceof Path file) {
            response.defaultContentType(
                    call.produced() == null
                            ? MediaTypes.OCTET_STREAM
                            : call.produced().toString());
            sendFile(file, response);
        } else {
            if (json == null) {
                throw new IllegalStateException(
                        "Cannot write " + body.getClass().getName() + " as JSON: Jackson is not on the class path");
            }
            response.defaultContentType(
                    call.produced() == null
                            ? MediaTypes.JSON_VALUE
                            : call.produced().toString());
            String type = response.contentType();
            if (type != null && !MediaTypes.isJson(MimeTypeUtils.parseMimeType(type))) {
                throw new IllegalStateException(
                        "Cannot write " + body.getClass().getName() + " as " + type
                                + ": objects are written as JSON; send a String or byte[] for other types");
            }
            response.send(json.write(body));
        }
    }

    /** A text type with its charset: the declared one gets UTF-8 when it names none. */
    private static String textType(MimeType produced) {
        if (produced == null) {
            return MediaTypes.TEXT_PLAIN_UTF8;
        }
        return produced.getParameter("charset") == null
                ? new MimeType(produced, StandardCharsets.UTF_8).toString()
                : produced.toString();
    }

    /** A file that is not there is the client's 404, its path not told; other failures are 500s. */
    private static void sendFile(Path file, HandlerResponse response) throws IOException {
        try {
            response.sendFile(file);
        } catch (NoSuchFileException e) {
            throw new HttpStatusException(404, "No such file", e);
        }
    }

    private static void stream(InputStream stream, HandlerResponse response) throws IOException {
        try (InputStream in = stream) {
            byte[] buffer = new byte[STREAM_BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                response.sendChunk(buffer, 0, n);
            }
            response.sendChunk(buffer, 0, 0);
        }
    }
}
