package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpMethod;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;

/**
 * A registered handler, as {@link RequestInterceptor}s see it.
 *
 * @param uri the URI or URI template, with any class-level prefix
 * @param method the HTTP method served ({@link HttpMethod#ANY} for all)
 * @param bean the bean: the one declaring the method, or the {@code RequestHandler}; {@code null}
 *     for the {@code OPTIONS} handlers httpsd registers for CORS
 * @param javaMethod the mapped method, or {@code null} for a {@code RequestHandler} bean
 * @param produces the media types the method declared it answers with; empty when it did not
 * @param consumes the media types the method declared it reads; empty when it did not
 * @param description where it comes from, e.g. {@code method Items.item of bean 'items'}
 */
public record MappedHandler(
        String uri,
        HttpMethod method,
        Object bean,
        Method javaMethod,
        List<String> produces,
        List<String> consumes,
        String description) {

    public MappedHandler {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(method, "method");
        produces = List.copyOf(produces);
        consumes = List.copyOf(consumes);
        Objects.requireNonNull(description, "description");
    }

    @Override
    public String toString() {
        return method.token() + " " + uri + " (" + description + ")";
    }
}
