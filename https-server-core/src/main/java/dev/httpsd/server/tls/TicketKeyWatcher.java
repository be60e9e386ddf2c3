package dev.httpsd.server.tls;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads {@link SessionTicketKeyFiles} again when they change: a platform daemon thread waits on a
 * {@link WatchService} over the files' directories (and, through symbolic links, the directories
 * they point into, as a Kubernetes secret volume swaps its {@code ..data} link), and once nothing
 * has changed there for the quiet period it reads the files. Any change in those directories
 * counts, so no rename or link swap is missed; keys that read the same as those in use change
 * nothing. A failed read keeps the keys in use and logs a warning naming the file and the problem.
 */
final class TicketKeyWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TicketKeyWatcher.class.getName());

    private final SessionTicketKeyFiles files;
    private final Supplier<SessionTicketKeys> current;
    private final Consumer<SessionTicketKeys> apply;
    private final String server;
    private final WatchService watcher;
    private final Thread thread;

    /**
     * @param current the keys in use now
     * @param apply installs new keys
     * @param server names the server in log lines
     * @throws IOException when a directory cannot be watched
     */
    private TicketKeyWatcher(
            SessionTicketKeyFiles files,
            Supplier<SessionTicketKeys> current,
            Consumer<SessionTicketKeys> apply,
            String server)
            throws IOException {
        this.files = files;
        this.current = current;
        this.apply = apply;
        this.server = server;
        this.watcher = FileSystems.getDefault().newWatchService();
        try {
            for (Path directory : directories(files)) {
                directory.register(
                        watcher,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException | RuntimeException e) {
            watcher.close();
            throw e;
        }
        this.thread =
                Thread.ofPlatform().daemon(true).name("httpsd-ticket-keys").unstarted(this::run);
    }

    /**
     * The watcher of a server's key files, started; {@code null} when it has no TLS context, no
     * files, or files not to be reloaded.
     */
    static TicketKeyWatcher forServer(SessionTicketKeyFiles files, TlsContext context, String server)
            throws IOException {
        if (context == null || files == null || files.reloadQuietPeriod() == null) {
            return null;
        }
        return start(files, context::ticketKeys, context::reloadTicketKeys, server);
    }

    /** Starts watching; {@link #close()} stops. */
    static TicketKeyWatcher start(
            SessionTicketKeyFiles files,
            Supplier<SessionTicketKeys> current,
            Consumer<SessionTicketKeys> apply,
            String server)
            throws IOException {
        TicketKeyWatcher watching = new TicketKeyWatcher(files, current, apply, server);
        watching.thread.start();
        return watching;
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "closing the ticket key watcher: " + e);
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long quietMillis = files.reloadQuietPeriod().toMillis();
        boolean changed = false;
        while (true) {
            WatchKey key;
            try {
                key = watcher.poll(quietMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            if (key != null) {
                key.pollEvents();
                key.reset();
                changed = true;
            } else if (changed) {
                changed = false;
                reload();
            }
        }
    }

    private void reload() {
        SessionTicketKeys keys;
        try {
            keys = files.read();
        } catch (TlsMaterialException e) {
            LOG.log(
                    Level.WARNING,
                    () -> "Session ticket keys of " + server + " not reloaded, the keys in use stay: "
                            + e.getMessage());
            return;
        }
        if (keys.equals(current.get())) {
            LOG.log(Level.DEBUG, () -> "Session ticket key files of " + server + " changed, the keys did not");
            return;
        }
        try {
            apply.accept(keys);
            LOG.log(Level.INFO, () -> "Session ticket keys of " + server + " reloaded: " + keys);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Session ticket keys of " + server + " could not be installed", e);
        }
    }

    /** The files' directories, and those their symbolic links lead into. */
    static Set<Path> directories(SessionTicketKeyFiles files) throws IOException {
        Set<Path> directories = new LinkedHashSet<>();
        for (Path file : files.files()) {
            collect(file.toAbsolutePath(), directories, 0);
        }
        return directories;
    }

    private static void collect(Path path, Set<Path> directories, int depth) throws IOException {
        Path parent = path.getParent();
        if (parent == null || depth > 8) {
            return;
        }
        directories.add(parent);
        if (Files.isSymbolicLink(path)) {
            collect(parent.resolve(Files.readSymbolicLink(path)).normalize(), directories, depth + 1);
        }
        if (Files.isSymbolicLink(parent)) {
            Path target = parent.resolveSibling(Files.readSymbolicLink(parent)).normalize();
            collect(target.resolve(path.getFileName()), directories, depth + 1);
        }
    }
}
