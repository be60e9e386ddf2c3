package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.RequestHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.MimeType;

/**
 * The handler model's entry point, built by the auto-configuration: turns mapped methods and
 * handler beans into the {@code RequestHandler}s the server runs, with argument binding, return
 * values, the {@link RequestInterceptor} chain and {@link ExceptionMapping} advice. Applications
 * do not use it directly.
 *
 * <p>It finds the application's {@code JsonMapper} (Spring Boot's, when spring-boot-jackson is
 * there), {@code jakarta.validation.Validator} and interceptor beans in the bean factory the first
 * time it builds a handler, once every singleton exists.
 */
public final class HandlerModel {

    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{\\*?([^{}/]+)}");

    private final ListableBeanFactory beans;
    private final long maxInMemorySize;
    private final ExceptionAdvice advice = new ExceptionAdvice();

    private boolean initialized;
    private Arguments arguments;
    private ReturnValues returnValues;
    private Failures failures;
    private List<RequestInterceptor> interceptors;

    /**
     * @param beans where the JSON mapper, validator and interceptors are found
     * @param maxInMemorySize the largest request body a handler reads into memory, in bytes
     */
    public HandlerModel(ListableBeanFactory beans, long maxInMemorySize) {
        this.beans = beans;
        this.maxInMemorySize = maxInMemorySize;
    }

    private void initialize() {
        if (initialized) {
            return;
        }
        ClassLoader classLoader = HandlerModel.class.getClassLoader();
        if (beans instanceof org.springframework.beans.factory.config.ConfigurableBeanFactory configurable
                && configurable.getBeanClassLoader() != null) {
            classLoader = configurable.getBeanClassLoader();
        }
        JsonCodec json = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", classLoader)
                ? JacksonCodec.create(beans)
                : null;
        BodyValidator validator = ClassUtils.isPresent("jakarta.validation.Validator", classLoader)
                ? JakartaBodyValidator.create(beans)
                : null;
        // the string, not the class's constant: SpringWebSupport must not load without spring-web
        SpringWebSupport springWeb = ClassUtils.isPresent("org.springframework.http.ResponseEntity", classLoader)
                ? new SpringWebSupport()
                : null;
        arguments = new Arguments(
                ApplicationConversionService.getSharedInstance(), new RequestBodies(json, validator, maxInMemorySize));
        returnValues = new ReturnValues(json, springWeb);
        failures = new Failures(advice, new ProblemResponses(json), springWeb);
        interceptors =
                beans.getBeanProvider(RequestInterceptor.class).orderedStream().toList();
        initialized = true;
    }

    /**
     * Adds the {@link ExceptionMapping} methods of a bean; all advice must be added before the
     * first handler is built.
     *
     * @param order the bean's order ({@code @Order}, {@code Ordered}), which decides between
     *     equally near advice
     * @throws IllegalArgumentException naming a method that cannot be advice
     */
    public void addAdvice(Object bean, Class<?> type, String beanName, int order) {
        initialize();
        MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<ExceptionMapping>)
                        method -> AnnotatedElementUtils.findMergedAnnotation(method, ExceptionMapping.class))
                .forEach((method, mapping) -> {
                    String description =
                            "method " + type.getSimpleName() + "." + method.getName() + " of bean '" + beanName + "'";
                    List<Class<? extends Throwable>> types = exceptionTypes(method, mapping, description);
                    Method invocable =
                            org.springframework.aop.support.AopUtils.selectInvocableMethod(method, bean.getClass());
                    ArgumentResolver[] resolvers;
                    try {
                        resolvers = arguments.resolvers(method, Set.of(), true);
                        advice.add(
                                new AdviceMethod(
                                        bean, invocable, resolvers, returnValues, mapping.status(), description),
                                types,
                                order);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "@ExceptionMapping " + description + ": " + e.getMessage(), e);
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private static List<Class<? extends Throwable>> exceptionTypes(
            Method method, ExceptionMapping mapping, String description) {
        List<Class<? extends Throwable>> types = new ArrayList<>(List.of(mapping.value()));
        if (types.isEmpty()) {
            for (Class<?> parameter : method.getParameterTypes()) {
                if (Throwable.class.isAssignableFrom(parameter)) {
                    types.add((Class<? extends Throwable>) parameter);
                }
            }
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("@ExceptionMapping " + description
                    + " names no exception type: list them in @ExceptionMapping(...) or declare a Throwable parameter");
        }
        return types;
    }

    /**
     * The handler for a mapped method.
     *
     * @param mapped the mapping, with the method as declared (its annotations bind the parameters)
     * @param invocable the method to call on the bean (a proxy's, when the bean is proxied)
     * @throws IllegalArgumentException saying what in the signature or mapping cannot be served
     */
    public RequestHandler method(MappedHandler mapped, Method invocable) {
        initialize();
        List<MimeType> produces = declared(mapped.produces(), "produces");
        List<MimeType> consumes = declared(mapped.consumes(), "consumes");
        ArgumentResolver[] resolvers = arguments.resolvers(mapped.javaMethod(), templateVariables(mapped.uri()), false);
        MethodTarget target = new MethodTarget(mapped.bean(), invocable, resolvers, returnValues, produces, consumes);
        return new HandlerPipeline(mapped, target, interceptorsFor(mapped), failures);
    }

    /**
     * A {@code RequestHandler} bean's handler: itself when no interceptor applies and there is no
     * advice, else wrapped in both.
     */
    public RequestHandler handler(MappedHandler mapped, RequestHandler handler) {
        initialize();
        RequestInterceptor[] applying = interceptorsFor(mapped);
        if (applying.length == 0 && advice.isEmpty()) {
            return handler;
        }
        return new HandlerPipeline(mapped, new HandlerTarget(handler), applying, failures);
    }

    /** Whether CORS is on ({@code https-server.cors.*}): every URI then needs an {@code OPTIONS} handler. */
    public boolean answersPreflight() {
        initialize();
        return interceptors.stream()
                .anyMatch(interceptor -> interceptor instanceof CorsInterceptor cors
                        && cors.policy().enabled());
    }

    /**
     * The {@code OPTIONS} handler of a URI when CORS is on: the CORS interceptor answers
     * preflights, the handler any other {@code OPTIONS} with {@code Allow}.
     */
    public RequestHandler options(String uri, Set<HttpMethod> methods) {
        initialize();
        MappedHandler mapped = new MappedHandler(
                uri, HttpMethod.OPTIONS, null, null, List.of(), List.of(), "CORS preflight and OPTIONS of " + uri);
        return new HandlerPipeline(mapped, new OptionsTarget(methods), interceptorsFor(mapped), failures);
    }

    /**
     * httpsd's compression interceptor ({@code https-server.compression.*}), at {@link
     * RequestInterceptor#COMPRESSION_ORDER}.
     *
     * @throws IllegalArgumentException naming a MIME type that does not parse
     */
    public static RequestInterceptor compressionInterceptor(List<String> mimeTypes, long minResponseSize) {
        return new CompressionInterceptor(new Compression(mimeTypes, minResponseSize));
    }

    /**
     * httpsd's CORS interceptor ({@code https-server.cors.*}), at {@link
     * RequestInterceptor#CORS_ORDER}; it applies to no handler while no origin is allowed.
     *
     * @throws IllegalArgumentException for credentials with the origin {@code *}, or a malformed
     *     origin pattern
     */
    public static RequestInterceptor corsInterceptor(
            List<String> allowedOrigins,
            List<String> allowedOriginPatterns,
            List<String> allowedMethods,
            List<String> allowedHeaders,
            List<String> exposedHeaders,
            boolean allowCredentials,
            java.time.Duration maxAge) {
        return new CorsInterceptor(new CorsPolicy(
                allowedOrigins,
                allowedOriginPatterns,
                allowedMethods,
                allowedHeaders,
                exposedHeaders,
                allowCredentials,
                maxAge));
    }

    private RequestInterceptor[] interceptorsFor(MappedHandler mapped) {
        return interceptors.stream()
                .filter(interceptor -> interceptor.appliesTo(mapped))
                .toArray(RequestInterceptor[]::new);
    }

    private static List<MimeType> declared(List<String> types, String attribute) {
        List<MimeType> parsed = new ArrayList<>();
        for (String type : types) {
            parsed.add(MediaTypes.declared(type, attribute));
        }
        return parsed;
    }

    /** The variable names of a URI template, rest variable included. */
    static Set<String> templateVariables(String uri) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = TEMPLATE_VARIABLE.matcher(uri);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
