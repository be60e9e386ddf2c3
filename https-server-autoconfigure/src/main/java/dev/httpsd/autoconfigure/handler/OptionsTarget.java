package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpMethod;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The {@code OPTIONS} handler httpsd registers for each URI when CORS is on: preflights are
 * answered by the CORS interceptor before it runs; any other {@code OPTIONS} gets {@code 200} with
 * the methods the URI serves in {@code Allow}.
 */
final class OptionsTarget implements Target {

    private final String allow;

    OptionsTarget(Set<HttpMethod> methods) {
        Set<String> tokens = new LinkedHashSet<>();
        // in the enum's order, so that Allow does not depend on the order handlers were found in
        for (HttpMethod method : new java.util.TreeSet<>(methods)) {
            tokens.add(method.token());
            if (method == HttpMethod.GET) {
                tokens.add(HttpMethod.HEAD.token());
            }
        }
        tokens.add(HttpMethod.OPTIONS.token());
        this.allow = String.join(", ", tokens);
    }

    @Override
    public Object invoke(HandlerInvocation call) throws Exception {
        call.response().header("Allow", allow);
        call.response().status(200).send(new byte[0]);
        return null;
    }

    @Override
    public void write(Object result, HandlerInvocation call) {
        // answered in invoke
    }
}
