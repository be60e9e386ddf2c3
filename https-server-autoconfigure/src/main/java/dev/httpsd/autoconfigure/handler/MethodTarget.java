package dev.httpsd.autoconfigure.handler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.springframework.util.MimeType;

/**
 * A mapped method as a {@link Target}: content negotiation ({@code consumes} → 415, {@code
 * produces} or JSON → 406), argument binding, the reflective call, the return value.
 */
final class MethodTarget implements Target {

    private static final List<MimeType> JSON_ONLY = List.of(MediaTypes.JSON);

    private final Object bean;
    private final Method method;
    private final ArgumentResolver[] resolvers;
    private final ReturnValues returnValues;
    private final ReturnValues.Kind kind;
    private final int status;
    private final List<MimeType> produces;
    private final List<MimeType> consumes;

    MethodTarget(
            Object bean,
            Method method,
            ArgumentResolver[] resolvers,
            ReturnValues returnValues,
            List<MimeType> produces,
            List<MimeType> consumes) {
        this.bean = bean;
        this.method = method;
        this.resolvers = resolvers;
        this.returnValues = returnValues;
        this.kind = returnValues.kind(method, produces);
        this.status = returnValues.declaredStatus(method);
        this.produces = produces;
        this.consumes = consumes;
        method.setAccessible(true);
    }

    @Override
    public Object invoke(HandlerInvocation call) throws Exception {
        negotiate(call);
        Object[] arguments = new Object[resolvers.length];
        for (int i = 0; i < resolvers.length; i++) {
            arguments[i] = resolvers[i].resolve(call);
        }
        try {
            return method.invoke(bean, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public void write(Object result, HandlerInvocation call) throws Exception {
        returnValues.write(kind, result, call, status);
    }

    private void negotiate(HandlerInvocation call) {
        if (!consumes.isEmpty() && call.request().contentLength() != 0) {
            String header = call.request().header("Content-Type").orElse(null);
            MimeType type = MediaTypes.contentType(header);
            if (type == null || consumes.stream().noneMatch(accepted -> accepted.includes(type))) {
                throw new HttpStatusException(
                        415,
                        (type == null
                                        ? "The request has no Content-Type"
                                        : "Content-Type '" + header + "' is not supported")
                                + ": this resource reads " + describe(consumes));
            }
        }
        List<MimeType> offered = produces.isEmpty() && kind == ReturnValues.Kind.JSON ? JSON_ONLY : produces;
        if (offered.isEmpty()) {
            return;
        }
        String accept = call.request().header("Accept").orElse(null);
        MimeType chosen = MediaTypes.negotiate(offered, accept);
        if (chosen == null) {
            throw new HttpStatusException(
                    406,
                    "This resource answers with " + describe(offered) + ", which the request's Accept (" + accept
                            + ") does not take");
        }
        if (!produces.isEmpty()) {
            call.produced(chosen);
        }
    }

    private static String describe(List<MimeType> types) {
        return types.size() == 1 ? types.get(0).toString() : "one of " + types;
    }
}
