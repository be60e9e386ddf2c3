package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import java.io.IOException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One registered handler as the server calls it: the interceptors that apply to it around the
 * {@link Target}, and exception advice for what fails. I/O failures ({@link IOException}: the
 * client's body stream, a timeout, a client gone) and errors are the server's: they pass through
 * unchanged, as does a failure no advice or status takes, which the server answers {@code 500}.
 */
final class HandlerPipeline implements RequestHandler {

    private static final Log LOG = LogFactory.getLog(HandlerPipeline.class);

    private final MappedHandler mapped;
    private final Target target;
    private final RequestInterceptor[] interceptors;
    private final Failures failures;

    HandlerPipeline(MappedHandler mapped, Target target, RequestInterceptor[] interceptors, Failures failures) {
        this.mapped = mapped;
        this.target = target;
        this.interceptors = interceptors;
        this.failures = failures;
    }

    MappedHandler mapped() {
        return mapped;
    }

    @Override
    public void handle(HttpRequest request, HttpResponse serverResponse) throws Exception {
        HandlerResponse response = new HandlerResponse(request, serverResponse);
        HandlerInvocation call = new HandlerInvocation(mapped, request, response);
        int entered = 0;
        Throwable failure = null;
        try {
            boolean proceed = true;
            while (entered < interceptors.length) {
                if (!interceptors[entered].before(request, response, call)) {
                    proceed = false;
                    break;
                }
                entered++;
            }
            if (proceed) {
                Object result = target.invoke(call);
                for (int i = entered - 1; i >= 0; i--) {
                    interceptors[i].after(request, response, call);
                }
                target.write(result, call);
            }
        } catch (Exception e) {
            failure = e;
            if (e instanceof IOException || !failures.answer(e, call)) {
                throw e;
            }
        } catch (Error e) {
            failure = e;
            throw e;
        } finally {
            for (int i = entered - 1; i >= 0; i--) {
                completed(interceptors[i], request, response, call, failure);
            }
        }
    }

    private void completed(
            RequestInterceptor interceptor,
            HttpRequest request,
            HttpResponse response,
            HandlerInvocation call,
            Throwable failure) {
        try {
            interceptor.completed(request, response, call, failure);
        } catch (Exception e) {
            LOG.warn("Interceptor " + interceptor.getClass().getName() + " failed on completion of " + mapped, e);
        }
    }

    @Override
    public String toString() {
        return "HandlerPipeline[" + mapped + "]";
    }
}
