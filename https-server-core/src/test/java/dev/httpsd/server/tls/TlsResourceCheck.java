package dev.httpsd.server.tls;

import dev.httpsd.server.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * After a hostile client: the server must give everything back. Its open sessions return to a
 * baseline, and no accepted socket on its port lingers in CLOSE_WAIT (the client closed, the
 * server never did: a leaked descriptor). Reads the kernel's tables in {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}; where they do not exist (not Linux) only the session count is checked.
 */
final class TlsResourceCheck {

    /** The kernel's code for CLOSE_WAIT in the {@code st} column. */
    private static final String CLOSE_WAIT = "08";

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private TlsResourceCheck() {}

    /**
     * Waits until the server has at most {@code baseline} open sessions and no CLOSE_WAIT socket
     * on its port; given the {@link HttpsServer}, also until at most {@code baseline} OpenSSL
     * engines are alive.
     *
     * @throws AssertionError naming what is still held when that does not happen within {@link
     *     TlsFixtures#PATIENCE}
     */
    static void assertReleased(HttpsServer https, int baseline) {
        assertReleased(https.httpServer(), baseline);
        // the OpenSSL engine's native state is freed with its session, not by the collector
        awaitTrue(
                () -> https.tlsContext().liveEngines() <= baseline,
                () -> "server on port " + https.port() + " did not free its TLS engines: "
                        + https.tlsContext().liveEngines() + " live (baseline " + baseline + ")");
    }

    static void assertReleased(HttpServer server, int baseline) {
        int port = server.port();
        awaitTrue(
                () -> server.openSessions() <= baseline && closeWait(port).isEmpty(),
                () -> "server on port " + port + " did not release its resources: " + server.openSessions()
                        + " open sessions (baseline " + baseline + "), CLOSE_WAIT sockets " + closeWait(port));
    }

    /**
     * The sockets in CLOSE_WAIT whose local port is {@code port}, as {@code local->remote} in the
     * kernel's hexadecimal notation.
     */
    static List<String> closeWait(int port) {
        String localPort = String.format(Locale.ROOT, ":%04X", port);
        List<String> found = new ArrayList<>();
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // "sl local_address rem_address st ...": skip the header line
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length > 3 && columns[1].endsWith(localPort) && columns[3].equals(CLOSE_WAIT)) {
                    found.add(columns[1] + "->" + columns[2]);
                }
            }
        }
        return found;
    }

    private static void awaitTrue(BooleanSupplier condition, Supplier<String> failure) {
        long deadline = System.nanoTime() + TlsFixtures.PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
