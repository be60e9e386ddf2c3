package dev.httpsd.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;

/**
 * Scenario i's load: opens N keep-alive TLS connections (as {@link IdleClient} does, one suite
 * offered), then keeps every one of them busy at a bounded total rate: connection k sends
 * {@code GET /hello} every N ÷ rate seconds, the connections' schedules spread evenly over that
 * period, one virtual thread per connection. A bounded rate, not wrk's as-fast-as-possible, so that
 * every server carries the same work and the memory it holds is compared at equal load.
 *
 * <p>It prints {@code suites ...} and {@code open N} once connected, appends
 * {@code <epoch millis> <responses so far>} to the progress file every 100 ms (the harness
 * interpolates it at the server's GC times), and, once the flag file appears or the seconds pass,
 * prints {@code requests R}, {@code errors E} (a failed request or a response that is not a complete
 * 200; the connection is then dropped), {@code late L} (requests sent more than one period behind
 * their schedule: the rate was not held), {@code alive K} and, if any, {@code first-error ...}.
 * Arguments: port, connections, requests per second (all connections together), seconds, flag file,
 * progress file.
 */
public final class ActiveClient {

    private static final long PROGRESS_MILLIS = 100;

    private ActiveClient() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        double rate = Double.parseDouble(args[2]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        Path flag = Path.of(args[4]);
        Path progress = Path.of(args[5]);
        List<SSLSocket> sockets = IdleClient.openAll(port, count);
        System.out.println("suites " + IdleClient.suites(sockets));
        System.out.println("open " + sockets.size());
        System.out.flush();

        long period = (long) (TimeUnit.SECONDS.toNanos(1) * count / rate);
        LongAdder responses = new LongAdder();
        LongAdder errors = new LongAdder();
        LongAdder late = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            SSLSocket socket = sockets.get(k);
            long offset = period * k / count;
            threads.add(Thread.ofVirtual().start(() -> {
                long due = start + offset;
                while (System.nanoTime() < deadline && !Files.exists(flag)) {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    if (-wait > period) {
                        late.increment();
                    }
                    try {
                        IdleClient.request(socket);
                        responses.increment();
                    } catch (IOException e) {
                        errors.increment();
                        firstError.compareAndSet(null, e.toString());
                        return;
                    }
                    due += period;
                }
            }));
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(progress, StandardCharsets.UTF_8))) {
            while (threads.stream().anyMatch(Thread::isAlive)) {
                out.println(System.currentTimeMillis() + " " + responses.sum());
                out.flush();
                TimeUnit.MILLISECONDS.sleep(PROGRESS_MILLIS);
            }
            out.println(System.currentTimeMillis() + " " + responses.sum());
        }
        int alive = 0;
        for (SSLSocket socket : sockets) {
            try {
                IdleClient.request(socket);
                alive++;
            } catch (IOException e) {
                // closed by the server, or dropped after an error above
            }
            socket.close();
        }
        System.out.println("requests " + responses.sum());
        System.out.println("errors " + errors.sum());
        System.out.println("late " + late.sum());
        System.out.println("alive " + alive);
        if (firstError.get() != null) {
            System.out.println("first-error " + firstError.get());
        }
    }
}
