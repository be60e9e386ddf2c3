package dev.httpsd.server;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several {@link RequestObserver}s as one: starts in order, completions in reverse order, each
 * isolated from the others' failures. The states they keep for a request travel together as one
 * {@link States}, which the request searches by type.
 */
final class RequestObservers implements RequestObserver {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final RequestObserver[] observers;

    private RequestObservers(RequestObserver[] observers) {
        this.observers = observers;
    }

    static RequestObserver of(RequestObserver first, RequestObserver second) {
        List<RequestObserver> all = new ArrayList<>();
        for (RequestObserver observer : new RequestObserver[] {first, second}) {
            Objects.requireNonNull(observer, "observer");
            if (observer instanceof RequestObservers chain) {
                all.addAll(List.of(chain.observers));
            } else {
                all.add(observer);
            }
        }
        return new RequestObservers(all.toArray(RequestObserver[]::new));
    }

    @Override
    public Object requestStarted(HttpRequest request) {
        Object[] states = null;
        for (int i = 0; i < observers.length; i++) {
            Object state = start(observers[i], request);
            if (state != null) {
                if (states == null) {
                    states = new Object[observers.length];
                }
                states[i] = state;
            }
        }
        return states == null ? null : new States(states);
    }

    @Override
    public void requestCompleted(CompletedRequest request) {
        for (int i = observers.length - 1; i >= 0; i--) {
            try {
                observers[i].requestCompleted(request);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, request.session() + ": request observer failed", e);
            }
        }
    }

    private static Object start(RequestObserver observer, HttpRequest request) {
        try {
            return observer.requestStarted(request);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, request.session() + ": request observer failed", e);
            return null;
        }
    }

    /**
     * The state of this type that an observer keeps for a request: {@code state} is what the
     * configured observer's {@code requestStarted} returned, a chain's {@link States} or one
     * observer's own; {@code null} when there is none of that type.
     */
    static <T> T find(Object state, Class<T> type) {
        if (state instanceof States chain) {
            return chain.find(type);
        }
        return type.isInstance(state) ? type.cast(state) : null;
    }

    /** The states the observers of a chain keep for one request, by observer position. */
    record States(Object[] states) {

        <T> T find(Class<T> type) {
            for (Object state : states) {
                if (type.isInstance(state)) {
                    return type.cast(state);
                }
            }
            return null;
        }
    }
}
