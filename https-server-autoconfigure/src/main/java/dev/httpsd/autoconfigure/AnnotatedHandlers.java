package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerException;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.UriMatcher;
import dev.httpsd.server.WebSocketOptions;
import dev.httpsd.server.WebSocketPreHandshake;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds {@link UriHandlerBean} beans and {@link UriMapping} methods as beans are created, checks
 * their signatures at once, and registers them when the server starts.
 */
final class AnnotatedHandlers implements BeanPostProcessor {

    private record Found(UriHandler handler, String origin) {}

    private final List<Found> found = new CopyOnWriteArrayList<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        UriHandlerBean onClass = AnnotatedElementUtils.findMergedAnnotation(type, UriHandlerBean.class);
        if (onClass != null) {
            if (!(bean instanceof RequestHandler handler)) {
                throw new BeanInitializationException("Bean '" + beanName + "' (" + type.getName()
                        + ") is annotated @UriHandlerBean but does not implement " + RequestHandler.class.getName());
            }
            add(
                    onClass.uri(),
                    onClass.method(),
                    handler,
                    onClass.userContext(),
                    webSocket(bean, onClass.webSocket(), onClass.handleControlFrames(), onClass.subprotocol()),
                    "bean '" + beanName + "'");
        }
        Map<Method, UriMapping> methods =
                MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<UriMapping>)
                        method -> AnnotatedElementUtils.findMergedAnnotation(method, UriMapping.class));
        methods.forEach((method, mapping) -> {
            String origin = "method " + type.getSimpleName() + "." + method.getName() + " of bean '" + beanName + "'";
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            add(
                    mapping.uri(),
                    mapping.method(),
                    adapt(bean, invocable, origin),
                    mapping.userContext(),
                    webSocket(bean, mapping.webSocket(), mapping.handleControlFrames(), mapping.subprotocol()),
                    origin);
        });
        return bean;
    }

    /** Registers everything found, in bean creation order. */
    void registerAll(HttpServer server) {
        List<Found> registered = new ArrayList<>();
        for (Found each : found) {
            try {
                server.registerUriHandler(each.handler());
                registered.add(each);
            } catch (HttpServerException e) {
                throw new BeanInitializationException(
                        "Cannot register " + each.handler().method() + " "
                                + each.handler().uri() + " from " + each.origin() + ": " + e.getMessage()
                                + clashingOrigin(server, each, registered),
                        e);
            }
        }
    }

    /** Names the annotated handler a duplicate clashes with, so both places can be found. */
    private static String clashingOrigin(HttpServer server, Found duplicate, List<Found> registered) {
        UriMatcher matcher = server.config().uriMatcher() == null
                ? UriMatcher.exact()
                : server.config().uriMatcher();
        HttpMethod method = duplicate.handler().method();
        return registered.stream()
                .filter(r ->
                        matcher.matches(r.handler().uri(), duplicate.handler().uri()))
                .filter(r -> r.handler().method() == method
                        || r.handler().method() == HttpMethod.ANY
                        || method == HttpMethod.ANY)
                .findFirst()
                .map(r -> " (registered by " + r.origin() + ")")
                .orElse("");
    }

    List<UriHandler> handlers() {
        List<UriHandler> handlers = new ArrayList<>();
        found.forEach(f -> handlers.add(f.handler()));
        return handlers;
    }

    private static WebSocketOptions webSocket(Object bean, boolean enabled, boolean controlFrames, String subprotocol) {
        if (!enabled) {
            return null;
        }
        return new WebSocketOptions(
                controlFrames,
                subprotocol.isEmpty() ? null : subprotocol,
                bean instanceof WebSocketPreHandshake check ? check : null);
    }

    private void add(
            String uri,
            HttpMethod[] methods,
            RequestHandler handler,
            String userContext,
            WebSocketOptions webSocket,
            String origin) {
        if (uri.isEmpty()) {
            throw new BeanInitializationException("The URI of " + origin + " is empty");
        }
        if (methods.length == 0) {
            throw new BeanInitializationException("No HTTP method given for " + origin);
        }
        if (webSocket != null && (methods.length != 1 || methods[0] != HttpMethod.GET)) {
            throw new BeanInitializationException(
                    "WebSocket endpoint " + uri + " of " + origin + " must use method GET only");
        }
        for (HttpMethod method : methods) {
            found.add(new Found(
                    new UriHandler(uri, method, handler, userContext.isEmpty() ? null : userContext, webSocket),
                    origin));
        }
    }

    private static RequestHandler adapt(Object bean, Method method, String origin) {
        Class<?>[] parameters = method.getParameterTypes();
        boolean request = false;
        boolean response = false;
        boolean valid = parameters.length <= 2;
        for (Class<?> parameter : parameters) {
            if (parameter == HttpRequest.class && !request) {
                request = true;
            } else if (parameter == HttpResponse.class && !response) {
                response = true;
            } else {
                valid = false;
            }
        }
        Class<?> returns = method.getReturnType();
        if (!valid || !(returns == void.class || returns == String.class || returns == byte[].class)) {
            throw new BeanInitializationException(
                    "@UriMapping " + origin + " has an unsupported signature " + method
                            + ": parameters must be HttpRequest and/or HttpResponse, and the return type void, String or byte[]");
        }
        method.setAccessible(true);
        return (req, resp) -> {
            Object[] arguments = new Object[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                arguments[i] = parameters[i] == HttpRequest.class ? req : resp;
            }
            Object result;
            try {
                result = method.invoke(bean, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            if (result != null && !resp.isCommitted()) {
                resp.send(result instanceof byte[] bytes ? bytes : ((String) result).getBytes(StandardCharsets.UTF_8));
            }
        };
    }
}
