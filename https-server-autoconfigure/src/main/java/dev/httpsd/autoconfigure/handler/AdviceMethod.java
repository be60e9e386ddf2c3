package dev.httpsd.autoconfigure.handler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** One {@link ExceptionMapping} method, bound and ready to answer. */
final class AdviceMethod {

    private final Object bean;
    private final Method method;
    private final ArgumentResolver[] resolvers;
    private final ReturnValues returnValues;
    private final ReturnValues.Kind kind;
    private final int status;
    private final String description;

    AdviceMethod(
            Object bean,
            Method method,
            ArgumentResolver[] resolvers,
            ReturnValues returnValues,
            int status,
            String description) {
        this.bean = bean;
        this.method = method;
        this.resolvers = resolvers;
        this.returnValues = returnValues;
        this.kind = returnValues.kind(method, java.util.List.of());
        this.status = status;
        this.description = description;
        method.setAccessible(true);
    }

    /**
     * Answers {@code exception}: the response gets the advice's status (or the exception's) first,
     * which a returned {@link Reply} or the method itself may change.
     */
    void answer(Throwable exception, int exceptionStatus, HandlerInvocation call) throws Exception {
        call.failure(exception);
        call.response().status(status != 0 ? status : exceptionStatus);
        Object[] arguments = new Object[resolvers.length];
        for (int i = 0; i < resolvers.length; i++) {
            arguments[i] = resolvers[i].resolve(call);
        }
        Object result;
        try {
            result = method.invoke(bean, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        returnValues.write(kind, result, call, 0);
    }

    @Override
    public String toString() {
        return description;
    }
}
