package dev.httpsd.sample;

import dev.httpsd.autoconfigure.UriHandlerBean;
import dev.httpsd.server.AsyncRequest;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;

/**
 * {@code GET /async}: the request is detached from its handler and finished on a worker thread
 * (ESP's async_handlers example). With every worker busy it answers {@code 503 Busy} at once.
 */
@UriHandlerBean(uri = "/async")
class AsyncHandler implements RequestHandler, DisposableBean {

    private static final int WORKERS = 2;

    private final Semaphore idleWorkers = new Semaphore(WORKERS);
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread thread = new Thread(r, "async-worker-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws IOException {
        if (!idleWorkers.tryAcquire()) {
            response.status("503 Busy").contentType("text/plain").send("All workers are busy, try again\n");
            return;
        }
        AsyncRequest async = request.beginAsync();
        workers.execute(() -> {
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
        });
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }
}
