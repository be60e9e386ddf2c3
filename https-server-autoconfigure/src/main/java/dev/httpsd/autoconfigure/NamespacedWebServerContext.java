package dev.httpsd.autoconfigure;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application's context as a {@link WebServerApplicationContext} of one web server and its
 * namespace. Spring Boot's listeners of {@code WebServerInitializedEvent} (the port publisher, the
 * port file writer) name what they write after the namespace and write it into the context, so
 * every other call goes to the real context. The application context itself may be a plain one
 * or the servlet or reactive context of another web server.
 */
final class NamespacedWebServerContext implements InvocationHandler {

    private final ApplicationContext context;
    private final WebServer webServer;
    private final String namespace;

    private NamespacedWebServerContext(ApplicationContext context, WebServer webServer, String namespace) {
        this.context = context;
        this.webServer = webServer;
        this.namespace = namespace;
    }

    static WebServerApplicationContext of(ApplicationContext context, WebServer webServer, String namespace) {
        // configurable when the context is, so that Boot writes local.<namespace>.port into its environment
        Class<?>[] interfaces = context instanceof ConfigurableApplicationContext
                ? new Class<?>[] {WebServerApplicationContext.class, ConfigurableApplicationContext.class}
                : new Class<?>[] {WebServerApplicationContext.class};
        return (WebServerApplicationContext) Proxy.newProxyInstance(
                NamespacedWebServerContext.class.getClassLoader(),
                interfaces,
                new NamespacedWebServerContext(context, webServer, namespace));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
        return switch (method.getName()) {
            case "getWebServer" -> webServer;
            case "getServerNamespace" -> namespace;
            case "equals" -> proxy == arguments[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> namespace + " view of " + context;
            default -> delegate(method, arguments);
        };
    }

    private Object delegate(Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(context, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
