package dev.httpsd.autoconfigure;

import dev.httpsd.autoconfigure.handler.ExceptionMapping;
import dev.httpsd.autoconfigure.handler.HandlerModel;
import dev.httpsd.autoconfigure.handler.MappedHandler;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.HttpServerException;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.UriHandler;
import dev.httpsd.server.UriMatcher;
import dev.httpsd.server.WebSocketOptions;
import dev.httpsd.server.WebSocketPreHandshake;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.Order;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * Finds {@link UriHandlerBean} beans, {@link UriMapping} methods, {@code UriHandler} beans and
 * {@link ExceptionMapping} advice among the bean definitions once every singleton exists, as
 * Spring MVC finds its request mappings: lazy beans ({@code spring.main.lazy-initialization},
 * {@code @Lazy}) are created for it, a prototype or scoped bean is registered once (the scoped
 * proxy, which reaches the current target), and signatures are checked then. The handlers are
 * registered on each server start, in {@link HandlerPrecedence} order. A handler bean created
 * after that (by {@code getBean} of a definition registered later, or {@code createBean}) would
 * never be served, so its creation fails with a message saying why.
 */
final class AnnotatedHandlers implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

    private static final Log LOG = LogFactory.getLog(AnnotatedHandlers.class);

    private static final List<Class<? extends Annotation>> ANNOTATIONS =
            List.of(UriHandlerBean.class, UriMapping.class, ExceptionMapping.class);

    /** A registration, with what decides its place among the others. */
    private record Found(UriHandler handler, String origin, int order, int sequence) {}

    private record Candidate(String name, Object bean, Class<?> type) {}

    private final List<Found> found = new CopyOnWriteArrayList<>();
    /** The beans found when the handlers were collected: later instances of these are not new handlers. */
    private final Set<String> handlerBeans = ConcurrentHashMap.newKeySet();

    private final Map<Class<?>, Boolean> handlerTypes = new ConcurrentHashMap<>();
    private ListableBeanFactory beanFactory;
    private HandlerModel model;
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
        model = beanFactory
                .getBeanProvider(HandlerModel.class)
                .getIfAvailable(() ->
                        new HandlerModel(beanFactory, DataSize.ofKilobytes(256).toBytes()));
        List<Candidate> candidates = new ArrayList<>();
        for (String name : beanFactory.getBeanNamesForType(Object.class)) {
            if (ScopedProxyUtils.isScopedTarget(name)) {
                continue; // served through its scoped proxy, registered under the proxy's name
            }
            Class<?> type = typeOf(name);
            if (type != null && isHandlerType(type)) {
                handlerBeans.add(name);
                candidates.add(new Candidate(name, beanFactory.getBean(name), type));
            }
        }
        // every handler's failures may reach any advice: all of it first
        for (Candidate candidate : candidates) {
            if (!adviceMethods(candidate.type()).isEmpty()) {
                try {
                    model.addAdvice(candidate.bean(), candidate.type(), candidate.name(), order(candidate));
                } catch (IllegalArgumentException e) {
                    throw new BeanInitializationException(e.getMessage(), e);
                }
            }
        }
        for (Candidate candidate : candidates) {
            add(candidate);
        }
        for (String name : beanFactory.getBeanNamesForType(UriHandler.class)) {
            handlerBeans.add(name);
            addBean(name, beanFactory.getBean(name, UriHandler.class));
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
                                || !mappedMethods(t).isEmpty()
                                || !adviceMethods(t).isEmpty()));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!collected || handlerBeans.contains(beanName) || ScopedProxyUtils.isScopedTarget(beanName)) {
            return bean;
        }
        Class<?> type = AopUtils.getTargetClass(bean);
        if (isHandlerType(type) || bean instanceof UriHandler) {
            throw new BeanInitializationException("Bean '" + beanName + "' (" + type.getName()
                    + ") is a handler (@UriHandlerBean, @UriMapping, @ExceptionMapping or UriHandler) but was created"
                    + " after the httpsd handlers were collected from the bean definitions at startup, so it would"
                    + " never be served. Declare it in the application context (with the handler's class as the"
                    + " return type of its @Bean method) instead of creating or registering it later.");
        }
        return bean;
    }

    private static Map<Method, UriMapping> mappedMethods(Class<?> type) {
        return MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<UriMapping>)
                method -> AnnotatedElementUtils.findMergedAnnotation(method, UriMapping.class));
    }

    private static Map<Method, ExceptionMapping> adviceMethods(Class<?> type) {
        return MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<ExceptionMapping>)
                method -> AnnotatedElementUtils.findMergedAnnotation(method, ExceptionMapping.class));
    }

    private void add(Candidate candidate) {
        Object bean = candidate.bean();
        Class<?> type = candidate.type();
        String beanName = candidate.name();
        int beanOrder = order(candidate);
        UriHandlerBean onClass = AnnotatedElementUtils.findMergedAnnotation(type, UriHandlerBean.class);
        if (onClass != null) {
            if (!(bean instanceof RequestHandler handler)) {
                throw new BeanInitializationException("Bean '" + beanName + "' (" + type.getName()
                        + ") is annotated @UriHandlerBean but does not implement " + RequestHandler.class.getName());
            }
            String origin = "bean '" + beanName + "'";
            WebSocketOptions webSocket =
                    webSocket(bean, onClass.webSocket(), onClass.handleControlFrames(), onClass.subprotocol());
            for (HttpMethod method : methods(onClass.uri(), onClass.method(), webSocket, origin)) {
                RequestHandler served = webSocket != null
                        ? handler
                        : model.handler(
                                new MappedHandler(onClass.uri(), method, bean, null, List.of(), List.of(), origin),
                                handler);
                add(onClass.uri(), method, served, onClass.userContext(), webSocket, origin, beanOrder);
            }
        }
        UriMapping prefix = classMapping(type, beanName);
        mappedMethods(type).forEach((method, mapping) -> {
            String origin = "method " + type.getSimpleName() + "." + method.getName() + " of bean '" + beanName + "'";
            String uri = join(prefix == null ? "" : prefix.uri(), mapping.uri());
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            WebSocketOptions webSocket =
                    webSocket(bean, mapping.webSocket(), mapping.handleControlFrames(), mapping.subprotocol());
            int order = mappingOrder(mapping, method, beanOrder);
            List<String> produces =
                    List.of(mapping.produces().length == 0 && prefix != null ? prefix.produces() : mapping.produces());
            List<String> consumes =
                    List.of(mapping.consumes().length == 0 && prefix != null ? prefix.consumes() : mapping.consumes());
            for (HttpMethod httpMethod : methods(uri, mapping.method(), webSocket, origin)) {
                RequestHandler handler;
                try {
                    handler = webSocket != null
                            ? WebSocketMethods.adapt(bean, invocable, origin)
                            : model.method(
                                    new MappedHandler(uri, httpMethod, bean, method, produces, consumes, origin),
                                    invocable);
                } catch (IllegalArgumentException e) {
                    throw new BeanInitializationException(
                            "@UriMapping " + origin + " cannot be served: " + e.getMessage(), e);
                }
                add(uri, httpMethod, handler, mapping.userContext(), webSocket, origin, order);
            }
        });
    }

    /** A {@code @Bean UriHandler}: registered as declared, around the interceptors and advice. */
    private void addBean(String beanName, UriHandler declared) {
        String origin = "UriHandler bean '" + beanName + "'";
        RequestHandler handler = declared.isWebSocket()
                ? declared.handler()
                : model.handler(
                        new MappedHandler(
                                declared.uri(),
                                declared.method(),
                                declared.handler(),
                                null,
                                List.of(),
                                List.of(),
                                origin),
                        declared.handler());
        Order order = beanFactory.findAnnotationOnBean(beanName, Order.class);
        found.add(new Found(
                new UriHandler(
                        declared.uri(), declared.method(), handler, declared.userContext(), declared.webSocket()),
                origin,
                order == null ? Ordered.LOWEST_PRECEDENCE : order.value(),
                found.size()));
    }

    /** The class-level {@code @UriMapping}: a prefix and default media types, nothing else. */
    private static UriMapping classMapping(Class<?> type, String beanName) {
        UriMapping onClass = AnnotatedElementUtils.findMergedAnnotation(type, UriMapping.class);
        if (onClass == null) {
            return null;
        }
        boolean onlyPrefix = onClass.method().length == 1
                && onClass.method()[0] == HttpMethod.GET
                && onClass.userContext().isEmpty()
                && !onClass.webSocket()
                && onClass.order() == Ordered.LOWEST_PRECEDENCE;
        if (!onlyPrefix) {
            throw new BeanInitializationException("@UriMapping on class " + type.getName() + " of bean '" + beanName
                    + "' sets more than a prefix: on a class only uri, produces and consumes apply; set method,"
                    + " order, userContext and webSocket on the methods");
        }
        return onClass;
    }

    /** A class-level prefix and a method's URI as one, with one slash between them. */
    static String join(String prefix, String uri) {
        if (prefix.isEmpty()) {
            return uri;
        }
        if (uri.isEmpty()) {
            return prefix;
        }
        String base = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return uri.startsWith("/") ? base + uri : base + "/" + uri;
    }

    private static int mappingOrder(UriMapping mapping, Method method, int beanOrder) {
        if (mapping.order() != Ordered.LOWEST_PRECEDENCE) {
            return mapping.order();
        }
        Order onMethod = AnnotatedElementUtils.findMergedAnnotation(method, Order.class);
        return onMethod != null ? onMethod.value() : beanOrder;
    }

    /** A bean's {@code Ordered} value, or its {@code @Order}, on the class or its {@code @Bean} method. */
    private int order(Candidate candidate) {
        if (candidate.bean() instanceof Ordered ordered) {
            return ordered.getOrder();
        }
        Order onBean = beanFactory.findAnnotationOnBean(candidate.name(), Order.class);
        if (onBean != null) {
            return onBean.value();
        }
        Integer onClass = OrderUtils.getOrder(candidate.type());
        return onClass == null ? Ordered.LOWEST_PRECEDENCE : onClass;
    }

    /** Registers everything found, most specific first (see {@link HandlerPrecedence}). */
    void registerAll(HttpServer server) {
        collect();
        UriMatcher matcher = matcher(server);
        HandlerPrecedence precedence = new HandlerPrecedence(matcher);
        List<Found> ordered = new ArrayList<>(found);
        ordered.sort(Comparator.comparing(
                each -> precedence.key(each.handler().uri(), each.order(), each.sequence()), HandlerPrecedence.ORDER));
        List<Found> registered = new ArrayList<>();
        for (Found each : ordered) {
            register(server, each, registered);
        }
        if (model.answersPreflight()) {
            registerOptions(server, ordered);
        }
    }

    private static void register(HttpServer server, Found each, List<Found> registered) {
        try {
            server.registerUriHandler(each.handler());
            registered.add(each);
        } catch (HttpServerException | IllegalArgumentException e) {
            throw new BeanInitializationException(
                    "Cannot register " + each.handler().method() + " "
                            + each.handler().uri() + " from " + each.origin() + ": " + e.getMessage()
                            + clashingOrigin(e, registered),
                    e);
        }
    }

    /**
     * With CORS on, an {@code OPTIONS} handler for every URI that has none (nor an {@code ANY}), so
     * that preflights reach the CORS interceptor; one that the server refuses (another {@code
     * OPTIONS} registration covers its URI) is not needed.
     */
    private void registerOptions(HttpServer server, List<Found> ordered) {
        Map<String, Set<HttpMethod>> methods = new LinkedHashMap<>();
        for (Found each : ordered) {
            if (!each.handler().isWebSocket()) {
                methods.computeIfAbsent(each.handler().uri(), uri -> new LinkedHashSet<>())
                        .add(each.handler().method());
            }
        }
        methods.forEach((uri, served) -> {
            if (served.contains(HttpMethod.OPTIONS) || served.contains(HttpMethod.ANY)) {
                return;
            }
            try {
                server.registerUriHandler(UriHandler.of(uri, HttpMethod.OPTIONS, model.options(uri, served)));
            } catch (HttpServerException e) {
                LOG.debug("No CORS OPTIONS handler for " + uri + ": " + e.getMessage());
            }
        });
    }

    private static UriMatcher matcher(HttpServer server) {
        return server.config().uriMatcher() == null
                ? UriMatcher.exact()
                : server.config().uriMatcher();
    }

    /**
     * Names the annotated handler a duplicate clashes with, so both places can be found: the
     * router says which registered handler it is.
     */
    private static String clashingOrigin(RuntimeException refusal, List<Found> registered) {
        if (!(refusal instanceof HttpServerException refused)) {
            return "";
        }
        return refused.clashingHandler()
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

    private static HttpMethod[] methods(String uri, HttpMethod[] methods, WebSocketOptions webSocket, String origin) {
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
        return methods;
    }

    private void add(
            String uri,
            HttpMethod method,
            RequestHandler handler,
            String userContext,
            WebSocketOptions webSocket,
            String origin,
            int order) {
        found.add(new Found(
                new UriHandler(uri, method, handler, userContext.isEmpty() ? null : userContext, webSocket),
                origin,
                order,
                found.size()));
    }
}
