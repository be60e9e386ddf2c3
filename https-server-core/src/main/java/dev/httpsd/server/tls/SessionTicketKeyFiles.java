package dev.httpsd.server.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Session ticket keys kept in files ({@link SessionTicketKeys#read}), read when the server starts
 * and, when {@code reloadQuietPeriod} is set, read again whenever the files change: the server's
 * tickets then follow a rotation without a restart. A change is applied once the files have been
 * quiet for the period (so a file being written is not read halfway); a read that fails (a
 * half-written or broken file) keeps the keys in use and logs a warning naming the file.
 *
 * @param format how the files are written
 * @param files the key files: for {@link SessionTicketKeys.Format#NGINX} one per key, the first
 *     encrypting; for {@link SessionTicketKeys.Format#HAPROXY} exactly one
 * @param reloadQuietPeriod how long the files must stay unchanged before they are read again;
 *     {@code null} reads them at start only
 */
public record SessionTicketKeyFiles(SessionTicketKeys.Format format, List<Path> files, Duration reloadQuietPeriod) {

    public SessionTicketKeyFiles {
        Objects.requireNonNull(format, "format");
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no session ticket key file given");
        }
        if (format == SessionTicketKeys.Format.HAPROXY && files.size() != 1) {
            throw new IllegalArgumentException(
                    "the HAProxy format keeps all keys in one file, one per line; " + files.size() + " files given");
        }
        if (reloadQuietPeriod != null && (reloadQuietPeriod.isNegative() || reloadQuietPeriod.isZero())) {
            throw new IllegalArgumentException("the reload quiet period must be positive, not " + reloadQuietPeriod);
        }
    }

    /** nginx files, one key each (the first encrypts), read at start only. */
    public static SessionTicketKeyFiles nginx(Path... files) {
        return new SessionTicketKeyFiles(SessionTicketKeys.Format.NGINX, List.of(files), null);
    }

    /** A HAProxy {@code tls-ticket-keys} file, read at start only. */
    public static SessionTicketKeyFiles haproxy(Path file) {
        return new SessionTicketKeyFiles(SessionTicketKeys.Format.HAPROXY, List.of(file), null);
    }

    /** The same files, read again once they changed and stayed quiet for {@code quietPeriod}. */
    public SessionTicketKeyFiles reloadedAfter(Duration quietPeriod) {
        return new SessionTicketKeyFiles(format, files, Objects.requireNonNull(quietPeriod, "quietPeriod"));
    }

    /**
     * Reads the keys now.
     *
     * @throws TlsMaterialException naming the file and what is wrong with it
     */
    public SessionTicketKeys read() {
        return SessionTicketKeys.read(format, files);
    }
}
