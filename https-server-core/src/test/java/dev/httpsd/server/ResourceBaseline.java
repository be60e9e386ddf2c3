package dev.httpsd.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * What a hostile run must not leave behind, measured before it and awaited after it: open
 * sessions, the server's own platform threads, other platform threads, this process's file
 * descriptors, and sockets of this process in CLOSE_WAIT on the server's port.
 *
 * <p>Sessions run on virtual threads, which no thread count sees: they are counted through the
 * server's session table, and every session also holds a socket, which the descriptor count sees.
 * Record the baseline after the server has served at least one request of the kind the run makes
 * (a TLS one for TLS), so that the JDK's lazily created pollers, carrier threads and key material
 * already exist.
 */
public final class ResourceBaseline {

    /**
     * Descriptors the JDK may open once during a run and keep for the JVM's life: a class-path jar
     * opened by the first class loaded from it (an AssertJ failure path, a JSSE class), the
     * SecureRandom seed source, a second NIO poller's epoll and wake-up pipe. Each hostile run here
     * opens tens to thousands of sockets, so a leak of one per connection is far beyond it.
     */
    public static final int FD_TOLERANCE = 8;

    /** How long the process may take to give everything back. */
    public static final Duration RETURN_DEADLINE = Duration.ofSeconds(10);

    /**
     * Platform threads the JDK starts once, when first needed, and keeps: the pollers and timers
     * behind virtual threads' blocking I/O and timed waits. ForkJoinPool workers (virtual-thread
     * carriers, the common pool) are left out too: they come and go with load and retire after
     * their keep-alive, and so does the "process reaper" that waits for a test's child process
     * (curl, openssl). None of them is the server's.
     */
    private static final Set<String> JDK_SINGLETONS = Set.of(
            "process reaper",
            "MasterPoller",
            "Read-Poller",
            "Write-Poller",
            "VirtualThread-unparker",
            "VirtualThread-unblocker",
            "Attach Listener");

    private static final Path FDS = Path.of("/proc/self/fd");
    private static final String CLOSE_WAIT = "08";

    /** One measurement. */
    public record Snapshot(
            int sessions,
            Map<String, Integer> serverThreads,
            List<String> otherPlatformThreads,
            int fileDescriptors,
            List<String> closeWait) {

        /** Whether nothing grew beyond {@code baseline} (descriptors within the tolerance). */
        boolean within(Snapshot baseline) {
            return sessions <= baseline.sessions
                    && serverThreads.entrySet().stream()
                            .allMatch(e -> e.getValue() <= baseline.serverThreads.getOrDefault(e.getKey(), 0))
                    && otherPlatformThreads.size() <= baseline.otherPlatformThreads.size()
                    && (fileDescriptors < 0 || fileDescriptors <= baseline.fileDescriptors + FD_TOLERANCE)
                    && closeWait.isEmpty();
        }
    }

    private final IntSupplier sessions;
    private final int port;
    private final Snapshot baseline;

    private ResourceBaseline(IntSupplier sessions, int port) {
        this.sessions = sessions;
        this.port = port;
        this.baseline = measure();
    }

    /** Records the baseline of a running server. */
    public static ResourceBaseline record(HttpServer server) {
        return record(server::openSessions, server.port());
    }

    /** Records the baseline of anything listening on {@code port}, with its own session count. */
    static ResourceBaseline record(IntSupplier sessions, int port) {
        return new ResourceBaseline(sessions, port);
    }

    public Snapshot baseline() {
        return baseline;
    }

    /**
     * Waits until every resource is back at (or below) the baseline.
     *
     * @return the last measurement
     * @throws AssertionError naming what is left when the deadline passes
     */
    public Snapshot awaitReturn() {
        return awaitReturn(RETURN_DEADLINE);
    }

    /** {@link #awaitReturn()} with another deadline. */
    public Snapshot awaitReturn(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Snapshot now = measure();
            if (now.within(baseline)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("resources not back within " + patience.toMillis() + " ms\n  baseline: "
                        + baseline + "\n  now:      " + now);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Measures now. */
    public Snapshot measure() {
        Map<String, Integer> server = new TreeMap<>();
        List<String> others = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!thread.isAlive()) {
                continue;
            }
            String name = thread.getName();
            if (name.startsWith("httpd-") || name.startsWith("httpsd-")) {
                server.merge(name, 1, Integer::sum);
            } else if (!name.startsWith("ForkJoinPool") && !JDK_SINGLETONS.contains(name)) {
                others.add(name);
            }
        }
        Set<Long> inodes = new HashSet<>();
        int fds = fileDescriptors(inodes);
        others.sort(null);
        return new Snapshot(sessions.getAsInt(), server, others, fds, closeWait(inodes));
    }

    /** The number of open descriptors, collecting socket inodes; -1 without /proc (not Linux). */
    private static int fileDescriptors(Set<Long> socketInodes) {
        if (!Files.isDirectory(FDS)) {
            return -1;
        }
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FDS)) {
            for (Path entry : entries) {
                count++;
                try {
                    String target = Files.readSymbolicLink(entry).toString();
                    if (target.startsWith("socket:[")) {
                        socketInodes.add(Long.parseLong(target, 8, target.length() - 1, 10));
                    }
                } catch (IOException e) {
                    // closed while we looked (e.g. the directory stream's own descriptor)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FDS, e);
        }
        return count;
    }

    /**
     * This process's sockets in CLOSE_WAIT with the server's port at either end: the peer closed
     * and our side never did. A server-side one is a session the server forgot; a client-side one
     * a test client left open.
     */
    private List<String> closeWait(Set<Long> ourInodes) {
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !CLOSE_WAIT.equals(f[3])) {
                    continue;
                }
                int local = portOf(f[1]);
                int remote = portOf(f[2]);
                if ((local == port || remote == port) && ourInodes.contains(Long.parseLong(f[9]))) {
                    found.add((local == port ? "server side " : "client side ") + f[1] + " -> " + f[2]);
                }
            }
        }
        return found;
    }

    private static int portOf(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }
}
