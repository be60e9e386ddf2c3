package dev.httpsd.sample;

import dev.httpsd.autoconfigure.UriHandlerBean;
import dev.httpsd.autoconfigure.observation.HttpsServerObservations;
import dev.httpsd.server.AsyncRequest;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.core.task.TaskExecutor;

/**
 * {@code GET /async}: the request is detached from its handler and finished on Spring Boot's
 * application task executor (ESP's async_handlers example). With {@code sample.async.workers}
 * requests detached already it answers {@code 503 Busy} at once. The work is wrapped with the
 * request's observation, so what the worker logs carries the request's trace id.
 */
@UriHandlerBean(uri = "/async")
class AsyncHandler implements RequestHandler {

    private static final Log LOG = LogFactory.getLog(AsyncHandler.class);

    private final TaskExecutor executor;
    private final Semaphore idleWorkers;

    AsyncHandler(
            @Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) TaskExecutor executor,
            SampleProperties properties) {
        this.executor = executor;
        this.idleWorkers = new Semaphore(properties.async().workers());
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws IOException {
        if (!idleWorkers.tryAcquire()) {
            response.status("503 Busy").contentType("text/plain").send("All workers are busy, try again\n");
            return;
        }
        AsyncRequest async = request.beginAsync();
        try {
            // the worker thread gets the request's trace: its log lines carry the traceId too
            executor.execute(HttpsServerObservations.wrap(request, () -> finish(async)));
        } catch (RuntimeException e) {
            // the executor refused the task (shutting down): the session must not wait for it
            idleWorkers.release();
            async.complete();
            throw e;
        }
    }

    private void finish(AsyncRequest async) {
        LOG.info("finishing /async for session " + async.request().session().id());
        try {
            async.response()
                    .contentType("text/plain")
                    .send("Hello from " + Thread.currentThread().getName() + " (session "
                            + async.request().session().id() + ")\n");
        } catch (IOException e) {
            // the client went away; complete() still releases the session
        } finally {
            idleWorkers.release();
            async.complete();
        }
    }
}
