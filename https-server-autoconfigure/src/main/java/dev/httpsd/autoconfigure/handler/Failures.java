package dev.httpsd.autoconfigure.handler;

import java.io.IOException;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Answers what a handler, its binding or an interceptor threw: exception advice first, then the
 * exception's own status ({@link HttpStatusException}, Spring Web's {@code ErrorResponse} or
 * {@code @ResponseStatus}) as a problem response. Anything else is left to the server.
 */
final class Failures {

    private static final Log LOG = LogFactory.getLog(Failures.class);

    private final ExceptionAdvice advice;
    private final ProblemResponses problems;
    private final SpringWebSupport springWeb;

    Failures(ExceptionAdvice advice, ProblemResponses problems, SpringWebSupport springWeb) {
        this.advice = advice;
        this.problems = problems;
        this.springWeb = springWeb;
    }

    /** @return whether the failure was answered; {@code false} leaves it to the server */
    boolean answer(Exception failure, HandlerInvocation call) throws IOException {
        HandlerResponse response = call.response();
        if (response.isCommitted()) {
            return false;
        }
        ExceptionAdvice.Match match = advice.find(failure);
        if (match != null) {
            try {
                match.method().answer(match.exception(), statusOf(match.exception()), call);
                LOG.debug(call.handler() + ": " + failure + " answered by " + match.method());
                return true;
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                LOG.warn(call.handler() + ": exception advice " + match.method() + " failed answering " + failure, e);
                if (response.isCommitted()) {
                    return false;
                }
            }
        }
        if (failure instanceof HttpStatusException status) {
            LOG.debug(call.handler() + ": answering " + status.status() + ": " + status.getMessage());
            problems.send(call.request(), response, status);
            return true;
        }
        SpringWebSupport.Answer answer = springWeb == null ? null : springWeb.answer(failure);
        if (answer != null) {
            LOG.debug(call.handler() + ": answering " + answer.status() + " for " + failure);
            problems.send(call.request(), response, answer.status(), answer.detail(), List.of());
            return true;
        }
        return false;
    }

    /** The status an exception asks for, 500 when it names none. */
    private int statusOf(Throwable exception) {
        if (exception instanceof HttpStatusException status) {
            return status.status();
        }
        SpringWebSupport.Answer answer = springWeb == null ? null : springWeb.answer(exception);
        return answer == null ? 500 : answer.status();
    }
}
