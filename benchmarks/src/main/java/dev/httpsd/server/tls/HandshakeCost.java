package dev.httpsd.server.tls;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * What the server side of a full TLS 1.3 handshake costs with each engine, in memory (no sockets,
 * no threads): a JSSE client against a server engine made by the server's own {@link TlsContext}
 * (same key manager, parameters and session tickets as a running server, EC P-256 certificate).
 * Only the server's calls are timed: making its engine and channel, beginHandshake, wrap, unwrap,
 * delegated tasks, and freeing it. Bounded: a fixed number of handshakes.
 *
 * <pre>
 * java -cp BENCH_CP dev.httpsd.server.tls.HandshakeCost time   jdk|openssl [handshakes] [warm-up]
 * java -cp BENCH_CP dev.httpsd.server.tls.HandshakeCost memory jdk|openssl [connections]
 * </pre>
 *
 * {@code time} prints the server's wall and CPU time per handshake: the median and the lowest of
 * the means of batches of 250 handshakes (a busy machine slows some batches; the median resists
 * that). {@code memory} keeps that many server channels after their handshake, as idle sessions
 * hold them, and prints heap and RSS per connection, each after a full GC.
 */
public final class HandshakeCost {

    private static final int BATCH = 250;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final TlsContext context;
    private final SSLContext client;
    private long serverNanos;
    private long serverCpuNanos;

    private HandshakeCost(TlsEngine engine) throws Exception {
        Certificates.Authority ca = Certificates.authority("handshake cost CA", Duration.ofDays(2));
        KeyMaterial server = ca.issueServer("localhost", Duration.ofDays(2), Certificates.DEVELOPMENT_NAMES);
        this.context = new TlsContext(
                HttpsServerConfig.builder().serverKey(server).engine(engine).build());
        this.client = clientContext(ca);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !List.of("time", "memory").contains(args[0])) {
            System.err.println("usage: HandshakeCost time|memory jdk|openssl [count] [warm-up]");
            System.exit(2);
        }
        TlsEngine engine = TlsEngine.valueOf(args[1].toUpperCase(Locale.ROOT));
        HandshakeCost cost = new HandshakeCost(engine);
        if (args[0].equals("time")) {
            int handshakes = args.length > 2 ? Integer.parseInt(args[2]) : 4000;
            int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
            cost.time(engine, handshakes, warmUp);
        } else {
            cost.memory(engine, args.length > 2 ? Integer.parseInt(args[2]) : 2000);
        }
        cost.context.close();
    }

    private void time(TlsEngine engine, int handshakes, int warmUp) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            handshake().free();
        }
        List<double[]> batches = new ArrayList<>();
        String cipher = null;
        for (int done = 0; done < handshakes; done += BATCH) {
            serverNanos = 0;
            serverCpuNanos = 0;
            for (int i = 0; i < BATCH; i++) {
                TlsChannel channel = handshake();
                cipher = channel.engine().getSession().getProtocol() + " "
                        + channel.engine().getSession().getCipherSuite();
                long start = System.nanoTime();
                long cpu = THREADS.getCurrentThreadCpuTime();
                channel.free();
                serverCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
                serverNanos += System.nanoTime() - start;
            }
            batches.add(new double[] {serverNanos / 1e6 / BATCH, serverCpuNanos / 1e6 / BATCH});
        }
        double[] wall = batches.stream().mapToDouble(b -> b[0]).sorted().toArray();
        double[] cpu = batches.stream().mapToDouble(b -> b[1]).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "%s: server side of a full handshake (%s), %d handshakes after %d warm-up, %d batches:"
                        + " wall median %.3f ms (lowest %.3f), CPU median %.3f ms (lowest %.3f)%n",
                engine,
                cipher,
                batches.size() * BATCH,
                warmUp,
                batches.size(),
                median(wall),
                wall[0],
                median(cpu),
                cpu[0]);
    }

    private void memory(TlsEngine engine, int connections) throws Exception {
        for (int i = 0; i < 200; i++) {
            handshake().free(); // warm: classes, pools, caches
        }
        long heapBefore = usedHeapAfterGc();
        long rssBefore = rssBytes();
        List<TlsChannel> idle = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            idle.add(handshake());
        }
        long heapAfter = usedHeapAfterGc();
        long rssAfter = rssBytes();
        System.out.printf(
                Locale.ROOT,
                "%s: %d idle server TLS channels after their handshake: heap %.1f KiB per connection,"
                        + " RSS %.1f KiB per connection%n",
                engine,
                idle.size(),
                (heapAfter - heapBefore) / 1024.0 / connections,
                (rssAfter - rssBefore) / 1024.0 / connections);
        idle.forEach(TlsChannel::free);
    }

    /** One full handshake; the server's channel is returned, still holding its engine. */
    private TlsChannel handshake() throws Exception {
        SSLEngine clientEngine = client.createSSLEngine(); // no peer host: nothing to resume
        clientEngine.setUseClientMode(true);
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        ByteBuffer clientApp = ByteBuffer.allocate(1 << 15);
        ByteBuffer serverApp = ByteBuffer.allocate(1 << 15);
        long start = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        TlsChannel channel = context.channel(InputStream.nullInputStream(), OutputStream.nullOutputStream());
        SSLEngine server = channel.engine();
        server.beginHandshake();
        serverCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
        serverNanos += System.nanoTime() - start;
        clientEngine.beginHandshake();
        for (int rounds = 0; rounds < 100; rounds++) {
            boolean progress = step(clientEngine, toClient, toServer, clientApp);
            start = System.nanoTime();
            cpu = THREADS.getCurrentThreadCpuTime();
            progress |= step(server, toServer, toClient, serverApp);
            serverCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
            serverNanos += System.nanoTime() - start;
            if (!progress && done(clientEngine) && done(server)) {
                return channel;
            }
        }
        throw new IllegalStateException("no handshake after 100 rounds: client " + clientEngine.getHandshakeStatus()
                + ", server " + server.getHandshakeStatus());
    }

    /** One step of {@code engine}'s handshake; whether it did anything. */
    private static boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws Exception {
        HandshakeStatus before = engine.getHandshakeStatus();
        SSLEngineResult result;
        switch (before) {
            case NEED_TASK -> {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
                return true;
            }
            case NEED_WRAP -> result = engine.wrap(EMPTY, out);
            default -> {
                // NEED_UNWRAP, or finished with records left to read (tickets): the OpenSSL engine
                // also needs an unwrap with nothing new to finish its handshake
                in.flip();
                if (!in.hasRemaining() && before == HandshakeStatus.NOT_HANDSHAKING) {
                    in.compact();
                    return false;
                }
                app.clear();
                result = engine.unwrap(in, app);
                in.compact();
            }
        }
        return result.bytesConsumed() > 0
                || result.bytesProduced() > 0
                || result.getHandshakeStatus() != before
                || engine.getHandshakeStatus() != before;
    }

    private static boolean done(SSLEngine engine) {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            Runtime runtime = Runtime.getRuntime();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    private static long rssBytes() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.trim().split("\\s+");
                return Long.parseLong(parts[1]) * 1024;
            }
        }
        return 0;
    }

    private static SSLContext clientContext(Certificates.Authority ca) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        javax.net.ssl.TrustManagerFactory factory =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
