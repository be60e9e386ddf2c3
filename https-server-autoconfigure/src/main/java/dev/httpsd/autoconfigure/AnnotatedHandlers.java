package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerException;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.WebSocketOptions;
import dev.httpsd.server.WebSocketPreHandshake;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds {@link UriHandlerBean} beans and {@link UriMapping} methods among the bean definitions
 * once every singleton exists, as Spring MVC finds its request mappings: lazy beans ({@code
 * spring.main.lazy-initialization}, {@code @Lazy}) are created for it, a prototype or scoped bean
 * is registered once (the scoped proxy, which reaches the current target), and signatures are
 * checked then. The handlers are registered on each server start. A handler bean created after
 * that (by {@code getBean} of a definition registered later, or {@code createBean}) would never be
 * served, so its creation fails with a message saying why.
 */
final class AnnotatedHandlers implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

    private static final Log LOG = LogFactory.getLog(AnnotatedHandlers.class);

    private static final List<Class<? extends Annotation>> ANNOTATIONS =
            List.of(UriHandlerBean.class, UriMapping.class);

    private record Found(UriHandler handler, String origin) {}

    private final List<Found> found = new CopyOnWriteArrayList<>();
    /** The beans found when the handlers were collected: later instances of these are not new handlers. */
    private final Set<String> handlerBeans = ConcurrentHashMap.newKeySet();

    private final Map<Class<?>, Boolean> handlerTypes = new ConcurrentHashMap<>();
    private ListableBeanFactory beanFactory;
    private volatile boolean collected;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory instanceof ListableBeanFactory listable ? listable : null;
    }

    @Override
    public void afterSingletonsInstantiated() {
        collect();
    }

    /** Looks at every bean definition once, creating the handler beans that do not exist yet. */
    void collect() {
        if (collected || beanFactory == null) {
            return;
        }
        for (String name : beanFactory.getBeanNamesForType(Object.class)) {
            if (ScopedProxyUtils.isScopedTarget(name)) {
                continue; // served through its scoped proxy, registered under the proxy's name
            }
            Class<?> type = typeOf(name);
            if (type != null && isHandlerType(type)) {
                handlerBeans.add(name);
                add(beanFactory.getBean(name), type, name);
            }
        }
        collected = true;
    }

    private Class<?> typeOf(String name) {
        try {
            Class<?> type = beanFactory.getType(name);
            return type == null ? null : ClassUtils.getUserClass(type);
        } catch (RuntimeException | LinkageError e) {
            // as Spring MVC does: a bean whose type cannot be told is not a handler we can find
            LOG.trace("Could not resolve the type of bean '" + name + "'", e);
            return null;
        }
    }

    private boolean isHandlerType(Class<?> type) {
        return handlerTypes.computeIfAbsent(
                type,
                t -> AnnotationUtils.isCandidateClass(t, ANNOTATIONS)
                        && (AnnotatedElementUtils.hasAnnotation(t, UriHandlerBean.class)
                                || !mappedMethods(t).isEmpty()));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!collected || handlerBeans.contains(beanName) || ScopedProxyUtils.isScopedTarget(beanName)) {
            return bean;
        }
        Class<?> type = AopUtils.getTargetClass(bean);
        if (isHandlerType(type)) {
            throw new BeanInitializationException("Bean '" + beanName + "' (" + type.getName()
                    + ") has @UriHandlerBean or @UriMapping but was created after the httpsd handlers were"
                    + " collected from the bean definitions at startup, so it would never be served. Declare it"
                    + " in the application context (with the handler's class as the return type of its @Bean"
                    + " method) instead of creating or registering it later.");
        }
        return bean;
    }

    private static Map<Method, UriMapping> mappedMethods(Class<?> type) {
        return MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<UriMapping>)
                method -> AnnotatedElementUtils.findMergedAnnotation(method, UriMapping.class));
    }

    private void add(Object bean, Class<?> type, String beanName) {
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
        mappedMethods(type).forEach((method, mapping) -> {
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
    }

    /** Registers everything found, in bean definition order. */
    void registerAll(HttpServer server) {
        collect();
        List<Found> registered = new ArrayList<>();
        for (Found each : found) {
            try {
                server.registerUriHandler(each.handler());
                registered.add(each);
            } catch (HttpServerException e) {
                throw new BeanInitializationException(
                        "Cannot register " + each.handler().method() + " "
                                + each.handler().uri() + " from " + each.origin() + ": " + e.getMessage()
                                + clashingOrigin(e, registered),
                        e);
            }
        }
    }

    /**
     * Names the annotated handler a duplicate clashes with, so both places can be found: the
     * router says which registered handler it is.
     */
    private static String clashingOrigin(HttpServerException refusal, List<Found> registered) {
        return refusal.clashingHandler()
                .flatMap(clashing ->
                        registered.stream().filter(r -> r.handler() == clashing).findFirst())
                .map(r -> " (registered by " + r.origin() + ")")
                .orElse("");
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
