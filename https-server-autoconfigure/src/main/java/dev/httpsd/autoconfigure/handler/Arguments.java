package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpSession;
import dev.httpsd.server.tls.TlsSession;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSession;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;

/**
 * Works out, once at startup, how each parameter of a handler or advice method is bound, and
 * refuses what cannot be: the message says which parameter and what would do.
 */
final class Arguments {

    private static final String SPRING_WEB = "org.springframework.web.bind.annotation.";
    private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);
    private static final TypeDescriptor STRINGS = TypeDescriptor.collection(List.class, STRING);
    private static final int QUOTED_VALUE_LIMIT = 64;

    /** Where a bound value comes from, and how a message names it. */
    private enum Source {
        PATH("path variable"),
        QUERY("query parameter"),
        HEADER("header"),
        COOKIE("cookie"),
        BODY("body");

        final String noun;

        Source(String noun) {
            this.noun = noun;
        }
    }

    private record Binding(Source source, String name, boolean required, String defaultValue, String annotation) {}

    private final ConversionService conversion;
    private final RequestBodies bodies;
    private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();

    Arguments(ConversionService conversion, RequestBodies bodies) {
        this.conversion = conversion;
        this.bodies = bodies;
    }

    /**
     * The resolvers of every parameter.
     *
     * @param variables the URI template's variable names, for {@code @UriVariable}
     * @param advice whether this is an advice method, whose {@code Throwable} parameters take the
     *     exception being answered
     * @throws IllegalArgumentException naming the parameter that cannot be bound
     */
    ArgumentResolver[] resolvers(Method method, Set<String> variables, boolean advice) {
        ArgumentResolver[] resolvers = new ArgumentResolver[method.getParameterCount()];
        boolean body = false;
        for (int i = 0; i < resolvers.length; i++) {
            MethodParameter parameter = MethodParameter.forExecutable(method, i);
            parameter.initParameterNameDiscovery(names);
            Binding binding = binding(parameter);
            if (binding != null && binding.source() == Source.BODY || binding == null && isBodyStream(parameter)) {
                if (body) {
                    throw new IllegalArgumentException("more than one parameter is bound to the request body");
                }
                body = true;
            }
            resolvers[i] = binding == null ? unannotated(parameter, advice) : bound(parameter, binding, variables);
        }
        return resolvers;
    }

    private static boolean isBodyStream(MethodParameter parameter) {
        return parameter.getParameterType() == InputStream.class;
    }

    /** The parameters that need no annotation: the request, the response, the TLS session… */
    private static ArgumentResolver unannotated(MethodParameter parameter, boolean advice) {
        Class<?> type = parameter.getParameterType();
        if (type == HttpRequest.class) {
            return HandlerInvocation::request;
        }
        if (type == HttpResponse.class) {
            return HandlerInvocation::response;
        }
        if (type == HandlerInvocation.class) {
            return call -> call;
        }
        if (type == HttpSession.class) {
            return call -> call.request().session();
        }
        if (type == InputStream.class) {
            return call -> call.request().body();
        }
        if (type == TlsSession.class) {
            return call -> TlsSession.of(call.request().session()).orElse(null);
        }
        if (type == SSLSession.class) {
            return call -> TlsSession.of(call.request().session())
                    .map(TlsSession::sslSession)
                    .orElse(null);
        }
        if (type == Principal.class) {
            return call -> call.principal().orElse(null);
        }
        if (type == Optional.class && parameter.nestedIfOptional().getNestedParameterType() == Principal.class) {
            return HandlerInvocation::principal;
        }
        if (advice && Throwable.class.isAssignableFrom(type)) {
            return call -> type.isInstance(call.failure()) ? call.failure() : null;
        }
        throw new IllegalArgumentException("parameter " + describe(parameter) + " cannot be bound: annotate it with"
                + " @UriVariable, @QueryValue, @HeaderValue, @Cookie or @Body (or Spring Web's @PathVariable,"
                + " @RequestParam, @RequestHeader, @CookieValue, @RequestBody), or declare one of HttpRequest,"
                + " HttpResponse, HandlerInvocation, HttpSession, TlsSession, SSLSession, Principal, InputStream");
    }

    private ArgumentResolver bound(MethodParameter parameter, Binding binding, Set<String> variables) {
        if (binding.source() == Source.BODY) {
            return bodies.resolver(parameter, binding.required());
        }
        String name = binding.name().isEmpty() ? parameter.getParameterName() : binding.name();
        if (name == null) {
            throw new IllegalArgumentException("parameter " + describe(parameter) + " has " + binding.annotation()
                    + " without a name, and the class was compiled without -parameters: name it, as in "
                    + binding.annotation() + "(\"id\")");
        }
        if (binding.source() == Source.PATH && !variables.contains(name)) {
            throw new IllegalArgumentException("parameter " + describe(parameter) + " is bound to the path variable '"
                    + name + "', which the URI template does not have (its variables: " + variables + ")");
        }
        MethodParameter target = parameter.nestedIfOptional();
        TypeDescriptor type = new TypeDescriptor(target);
        boolean wrapInOptional = parameter.getParameterType() == Optional.class;
        boolean multiple = type.isCollection() || type.isArray();
        boolean hasDefault = !binding.defaultValue().equals(ValueDefaults.NONE);
        boolean optional = !binding.required() || parameter.isOptional() || hasDefault;
        if (optional && !hasDefault && type.getType().isPrimitive()) {
            throw new IllegalArgumentException("parameter " + describe(parameter) + " is an optional "
                    + binding.source().noun + " of primitive type " + type.getType()
                    + ", which cannot be empty: use its wrapper type, Optional, or a defaultValue");
        }
        if (multiple && (binding.source() == Source.PATH || binding.source() == Source.COOKIE)) {
            throw new IllegalArgumentException("parameter " + describe(parameter) + " is a collection, but a "
                    + binding.source().noun + " has one value");
        }
        Object defaultValue = hasDefault ? convertDefault(parameter, binding, type, name) : null;
        Source source = binding.source();
        return call -> {
            Object raw = raw(source, name, multiple, call.request());
            Object value = raw == null ? null : convert(raw, multiple, type, source, name);
            if (value == null) {
                if (hasDefault) {
                    value = defaultValue;
                } else if (!optional) {
                    throw new RequestBindingException(
                            "Required " + source.noun + " '" + name + "' is " + (raw == null ? "missing" : "empty"),
                            null);
                }
            }
            return wrapInOptional ? Optional.ofNullable(value) : value;
        };
    }

    private Object convertDefault(MethodParameter parameter, Binding binding, TypeDescriptor type, String name) {
        try {
            return conversion.convert(binding.defaultValue(), STRING, type);
        } catch (ConversionException e) {
            throw new IllegalArgumentException("the defaultValue '" + binding.defaultValue() + "' of parameter "
                    + describe(parameter) + " is not a " + type.getType().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Object raw(Source source, String name, boolean multiple, HttpRequest request) {
        return switch (source) {
            case PATH -> request.pathVariable(name).orElse(null);
            case QUERY -> {
                if (multiple) {
                    List<String> values = QueryParameters.all(request.rawQuery(), name);
                    yield values.isEmpty() ? null : values;
                }
                yield QueryParameters.first(request.rawQuery(), name);
            }
            case HEADER -> {
                if (multiple) {
                    List<String> values = request.headers(name);
                    yield values.isEmpty() ? null : values;
                }
                yield request.header(name).orElse(null);
            }
            case COOKIE -> request.cookie(name).orElse(null);
            case BODY -> throw new IllegalStateException("bodies are bound by RequestBodies");
        };
    }

    private Object convert(Object raw, boolean multiple, TypeDescriptor type, Source source, String name) {
        if (!multiple && type.getType() == String.class) {
            return raw;
        }
        try {
            return conversion.convert(raw, multiple ? STRINGS : STRING, type);
        } catch (ConversionException e) {
            throw new RequestBindingException(
                    "The " + source.noun + " '" + name + "' is not a valid " + typeName(type) + ": " + quote(raw), e);
        }
    }

    private static String typeName(TypeDescriptor type) {
        if (type.isCollection() && type.getElementTypeDescriptor() != null) {
            return "list of " + type.getElementTypeDescriptor().getType().getSimpleName();
        }
        return type.getType().getSimpleName();
    }

    private static String quote(Object raw) {
        String text = raw instanceof Collection<?> values ? String.valueOf(values) : "'" + raw + "'";
        return text.length() > QUOTED_VALUE_LIMIT ? text.substring(0, QUOTED_VALUE_LIMIT) + "…" : text;
    }

    /** The binding annotation on a parameter, httpsd's or Spring Web's; {@code null} for none. */
    private static Binding binding(MethodParameter parameter) {
        MergedAnnotations annotations = MergedAnnotations.from(parameter, parameter.getParameterAnnotations());
        List<Binding> found = new ArrayList<>();
        add(found, annotations.get(UriVariable.class), Source.PATH, "@UriVariable");
        add(found, annotations.get(QueryValue.class), Source.QUERY, "@QueryValue");
        add(found, annotations.get(HeaderValue.class), Source.HEADER, "@HeaderValue");
        add(found, annotations.get(Cookie.class), Source.COOKIE, "@Cookie");
        add(found, annotations.get(Body.class), Source.BODY, "@Body");
        add(found, annotations.get(SPRING_WEB + "PathVariable"), Source.PATH, "@PathVariable");
        add(found, annotations.get(SPRING_WEB + "RequestParam"), Source.QUERY, "@RequestParam");
        add(found, annotations.get(SPRING_WEB + "RequestHeader"), Source.HEADER, "@RequestHeader");
        add(found, annotations.get(SPRING_WEB + "CookieValue"), Source.COOKIE, "@CookieValue");
        add(found, annotations.get(SPRING_WEB + "RequestBody"), Source.BODY, "@RequestBody");
        if (found.size() > 1) {
            throw new IllegalArgumentException("parameter " + describe(parameter) + " has "
                    + found.stream().map(Binding::annotation).toList() + ": one binding annotation at most");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private static void add(List<Binding> found, MergedAnnotation<?> annotation, Source source, String label) {
        if (!annotation.isPresent()) {
            return;
        }
        // Spring Web's annotations have the attributes of httpsd's, under the same names
        String name = annotation.getValue("name", String.class).orElse("");
        boolean required = annotation.getValue("required", Boolean.class).orElse(true);
        String defaultValue = annotation.getValue("defaultValue", String.class).orElse(ValueDefaults.NONE);
        found.add(new Binding(source, name, required, defaultValue, label));
    }

    /** {@code 'id' (long)}, or {@code #2 (long)} without parameter names. */
    static String describe(MethodParameter parameter) {
        String name = parameter.getParameterName();
        return (name == null ? "#" + (parameter.getParameterIndex() + 1) : "'" + name + "'") + " ("
                + parameter.getGenericParameterType().getTypeName() + ")";
    }
}
