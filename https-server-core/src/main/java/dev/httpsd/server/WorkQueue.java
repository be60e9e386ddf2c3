package dev.httpsd.server;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code httpd_queue_work}: work runs serially, in submission order, on one server thread, beside
 * the sessions' threads (see {@link HttpServer#queueWork} for what that means for ported code).
 */
final class WorkQueue implements Runnable {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    private static final Runnable STOP = () -> {};

    private final LinkedBlockingQueue<Runnable> queue;
    private final Thread thread;
    private volatile boolean accepting = true;

    WorkQueue(String name, int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.thread = Thread.ofVirtual().name(name).unstarted(this);
    }

    void start() {
        thread.start();
    }

    void submit(Runnable work) {
        Objects.requireNonNull(work, "work");
        if (!accepting) {
            throw new IllegalStateException("server is stopped: no work can be queued");
        }
        if (!queue.offer(work)) {
            throw new RejectedExecutionException("work queue full (" + queue.size() + " items)");
        }
    }

    boolean isWorkThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs what is queued, then ends the thread. */
    void stop() throws InterruptedException {
        accepting = false;
        queue.put(STOP);
        if (!isWorkThread()) {
            thread.join();
        }
    }

    @Override
    public void run() {
        while (true) {
            Runnable work;
            try {
                work = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (work == STOP) {
                return;
            }
            try {
                work.run();
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "queued work failed", t);
            }
        }
    }
}
