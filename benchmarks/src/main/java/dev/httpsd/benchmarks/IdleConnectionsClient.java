package dev.httpsd.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The on-demand idle-connections measurement's client ({@code run.sh --idle-connections N}): opens
 * N keep-alive TLS connections, as {@link IdleClient} does for scenario d (one request on each, the
 * harness's one suite offered), but many more, so it connects from several loopback source
 * addresses (127.0.0.1 ... 127.0.0.K, bound before connecting: one source address has only the
 * ~28,000 ports of {@code ip_local_port_range} towards one server port), with a bounded number of
 * opener threads, progress every so many connections, and a time limit.
 *
 * <p>It prints {@code sources ...}, {@code progress N SECONDS} every {@code every} connections, then
 * either {@code open-seconds S}, {@code client-heap-kib K} (its own heap after a full GC), {@code
 * suites ...} and {@code open N}, or {@code failed REASON}
 * (the first connection that could not be opened and answered, or the time limit; no connection is
 * opened after a failure) and {@code opened K}. Once the flag file appears or the hold seconds pass
 * it makes one more request on every connection and prints {@code alive K}, {@code alive-seconds S}
 * and, if any connection was lost, {@code first-dead REASON}. Arguments: port, connections, source
 * addresses, opener threads, seconds to open them all, seconds to hold them, flag file, progress
 * every.
 */
public final class IdleConnectionsClient {

    /** No single connect, handshake or response may take longer: nothing waits unbounded. */
    private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

    private final int port;
    private final int count;
    private final InetAddress[] sources;
    private final int openers;
    private final SSLContext context;
    private final SSLSocket[] sockets;
    /** Connections open and answered. */
    private final AtomicInteger opened = new AtomicInteger();

    private IdleConnectionsClient(int port, int count, int sources, int openers) throws Exception {
        this.port = port;
        this.count = count;
        this.sources = new InetAddress[sources];
        for (int k = 0; k < sources; k++) {
            this.sources[k] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (k + 1)});
        }
        this.openers = openers;
        this.context = IdleClient.trustingContext();
        this.sockets = new SSLSocket[count];
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            throw new IllegalArgumentException("arguments: port connections sources openers open-seconds"
                    + " hold-seconds flag-file progress-every");
        }
        int port = Integer.parseInt(args[0]);
        int count = positive("connections", args[1]);
        int sources = positive("sources", args[2]);
        if (sources > 254) {
            throw new IllegalArgumentException("at most 254 source addresses (127.0.0.1 to 127.0.0.254)");
        }
        int openers = positive("openers", args[3]);
        long openSeconds = positive("open-seconds", args[4]);
        long holdSeconds = positive("hold-seconds", args[5]);
        Path flag = Path.of(args[6]);
        int every = positive("progress-every", args[7]);

        IdleConnectionsClient client = new IdleConnectionsClient(port, count, sources, openers);
        System.out.println("sources " + client.describeSources());
        long start = System.nanoTime();
        String failure = client.openAll(start + TimeUnit.SECONDS.toNanos(openSeconds), every);
        if (failure != null) {
            System.out.println("failed " + failure);
            System.out.println("opened " + client.opened.get());
            System.out.flush();
            client.closeAll();
            return;
        }
        System.out.println("open-seconds " + seconds(start));
        // what the client itself holds per connection, for sizing its heap (-Xmx) at larger N
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        System.out.println("client-heap-kib " + (runtime.totalMemory() - runtime.freeMemory()) / 1024);
        System.out.println("suites " + IdleClient.suites(Arrays.asList(client.sockets)));
        System.out.println("open " + client.opened.get());
        System.out.flush();

        long holdDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdSeconds);
        while (!Files.exists(flag) && System.nanoTime() < holdDeadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        long checked = System.nanoTime();
        AtomicReference<String> firstDead = new AtomicReference<>();
        int alive = client.checkAlive(firstDead);
        System.out.println("alive " + alive);
        System.out.println("alive-seconds " + seconds(checked));
        if (firstDead.get() != null) {
            System.out.println("first-dead " + firstDead.get());
        }
    }

    /** Which source addresses connect, and how many connections each opens (connection i uses i mod K). */
    private String describeSources() {
        List<String> shares = new ArrayList<>(sources.length);
        for (int k = 0; k < sources.length; k++) {
            shares.add(sources[k].getHostAddress() + "="
                    + (count / sources.length + (k < count % sources.length ? 1 : 0)));
        }
        return String.join(",", shares);
    }

    /**
     * Opens every connection and makes one request on each, {@code openers} at a time. Returns null
     * when all are open, else why not: the first failure stops every opener, and so does the
     * deadline.
     */
    private String openAll(long deadline, int every) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        long start = System.nanoTime();
        inParallel(() -> {
            for (int i = next.getAndIncrement(); i < count && failure.get() == null; i = next.getAndIncrement()) {
                if (System.nanoTime() - deadline > 0) {
                    failure.compareAndSet(
                            null,
                            "time limit: " + opened.get() + " of " + count + " connections opened in " + seconds(start)
                                    + " s");
                    return;
                }
                InetAddress source = sources[i % sources.length];
                try {
                    sockets[i] = connect(source);
                    IdleClient.request(sockets[i]);
                } catch (IOException | RuntimeException | OutOfMemoryError e) {
                    failure.compareAndSet(
                            null,
                            "connection " + (i + 1) + " from " + source.getHostAddress() + ", after " + opened.get()
                                    + " opened in " + seconds(start) + " s: " + e);
                    return;
                }
                int done = opened.incrementAndGet();
                if (done % every == 0) {
                    System.out.println("progress " + done + " " + seconds(start));
                }
            }
        });
        if (failure.get() == null && opened.get() < count) {
            return "only " + opened.get() + " of " + count + " connections opened: an opener thread died (see above)";
        }
        return failure.get();
    }

    private SSLSocket connect(InetAddress source) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            socket.setEnabledProtocols(IdleClient.PROTOCOLS);
            socket.setEnabledCipherSuites(IdleClient.SUITES);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            // one source address alone connects as scenario d does, from whatever the kernel picks
            if (sources.length > 1) {
                // the previous server's connections may still hold these ports in TIME_WAIT
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(source, 0));
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SOCKET_TIMEOUT_MILLIS);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** One more request on every connection, then closes it; the connections that answered. */
    private int checkAlive(AtomicReference<String> firstDead) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger alive = new AtomicInteger();
        inParallel(() -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                try (SSLSocket socket = sockets[i]) {
                    IdleClient.request(socket);
                    alive.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    firstDead.compareAndSet(null, "connection " + (i + 1) + ": " + e);
                }
                sockets[i] = null;
            }
        });
        return alive.get();
    }

    private void closeAll() {
        for (SSLSocket socket : sockets) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing after a failed run: nothing left to report
                }
            }
        }
    }

    /** Runs the work on every opener thread and waits for all of them. */
    private void inParallel(Runnable work) {
        try (ExecutorService pool = Executors.newFixedThreadPool(openers)) {
            for (int t = 0; t < openers; t++) {
                pool.execute(work);
            }
        }
    }

    private static int positive(String what, String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, not " + value);
        }
        return n;
    }

    private static String seconds(long since) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - since) / 1e9);
    }
}
