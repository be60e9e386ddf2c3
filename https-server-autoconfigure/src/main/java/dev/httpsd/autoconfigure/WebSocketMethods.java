package dev.httpsd.autoconfigure;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A {@code @UriMapping(webSocket = true)} method as a handler: called after the handshake and
 * once per frame with the request and/or the response, nothing else to bind and nothing returned.
 */
final class WebSocketMethods {

    private WebSocketMethods() {}

    /** @throws IllegalArgumentException for any other signature */
    static RequestHandler adapt(Object bean, Method method, String origin) {
        Class<?>[] parameters = method.getParameterTypes();
        boolean request = false;
        boolean response = false;
        boolean valid = parameters.length <= 2 && method.getReturnType() == void.class;
        for (Class<?> parameter : parameters) {
            if (parameter == HttpRequest.class && !request) {
                request = true;
            } else if (parameter == HttpResponse.class && !response) {
                response = true;
            } else {
                valid = false;
            }
        }
        if (!valid) {
            throw new IllegalArgumentException(
                    "the WebSocket endpoint " + method + " must take HttpRequest and/or HttpResponse and return void");
        }
        method.setAccessible(true);
        return (req, resp) -> {
            Object[] arguments = new Object[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                arguments[i] = parameters[i] == HttpRequest.class ? req : resp;
            }
            try {
                method.invoke(bean, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        };
    }
}
