package dev.httpsd.server.tls;

import static dev.httpsd.server.tls.SessionTicketKeysTest.base64;
import static dev.httpsd.server.tls.SessionTicketKeysTest.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.server.Await;
import dev.httpsd.server.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session ticket key files followed at run time: a rotation written to the files reaches the
 * running server without a restart; a broken or half-written file keeps the keys in use and is
 * reported; a Kubernetes-style secret volume (a {@code ..data} link swapped to a new directory)
 * is followed too.
 */
class TicketKeyReloadTest {

    private static final Duration QUIET = Duration.ofMillis(100);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsBoringSsl() {
        TlsTestServer.assumeOpenSslEngine();
    }

    @Test
    void aRotationWrittenToTheFilesReachesTheRunningServer() throws Exception {
        Path current = write("current.key", key(1));
        Path previous = write("previous.key", key(9));
        try (TlsTestServer server = start(SessionTicketKeyFiles.nginx(current, previous))) {
            assertThat(server.https().sessionTicketKeys()).hasValue(SessionTicketKeys.of(key(1), key(9)));

            replace(previous, key(1));
            replace(current, key(2));

            Await.until(
                    "the new keys are in use",
                    () -> server.https()
                            .sessionTicketKeys()
                            .orElseThrow()
                            .equals(SessionTicketKeys.of(key(2), key(1))));
        }
    }

    @Test
    void aHalfWrittenFileKeepsTheKeysInUseAndIsReported() throws Exception {
        Path current = write("current.key", key(1));
        try (LogCapture log = new LogCapture("dev.httpsd.server.tls");
                TlsTestServer server = start(SessionTicketKeyFiles.nginx(current))) {
            Files.write(current, Arrays.copyOf(key(2), 20)); // the writer has not finished

            Await.until(
                    "a warning about the half-written file",
                    () -> log.aboveDebug().stream()
                            .anyMatch(line -> line.startsWith("WARNING Session ticket keys of port " + server.port()
                                            + " not reloaded, the keys in use stay")
                                    && line.contains("the file holds 20 bytes")
                                    && line.contains(current.toString())));
            assertThat(server.https().sessionTicketKeys()).hasValue(SessionTicketKeys.of(key(1)));

            Files.write(current, key(2)); // now it has
            Await.until(
                    "the finished file is read",
                    () -> server.https().sessionTicketKeys().orElseThrow().equals(SessionTicketKeys.of(key(2))));
        }
    }

    @Test
    void appendingALineToAHaproxyFileMakesTheNextKeyEncrypt() throws Exception {
        Path file = writeText("tls-ticket-keys", base64(1) + "\n" + base64(2) + "\n" + base64(3) + "\n");
        try (TlsTestServer server = start(SessionTicketKeyFiles.haproxy(file))) {
            assertThat(server.https()
                            .sessionTicketKeys()
                            .orElseThrow()
                            .keyNames()
                            .get(0))
                    .isEqualTo(SessionTicketKeysTest.name(2));

            Files.writeString(
                    file,
                    base64(1) + "\n" + base64(2) + "\n" + base64(3) + "\n" + base64(4) + "\n",
                    StandardCharsets.US_ASCII);

            Await.until(
                    "key 3 encrypts, 2 and 4 decrypt",
                    () -> server.https()
                            .sessionTicketKeys()
                            .orElseThrow()
                            .equals(SessionTicketKeys.of(key(3), key(2), key(4))));
        }
    }

    @Test
    void aSecretVolumeWhoseDataLinkIsSwappedIsFollowed() throws Exception {
        // the layout kubelet gives a mounted secret: key -> ..data/key, ..data -> ..<timestamp>
        Path volume = Files.createDirectory(dir.resolve("secret"));
        Path first = Files.createDirectory(volume.resolve("..2026_12_01"));
        Files.write(first.resolve("ticket.key"), key(1));
        Files.createSymbolicLink(volume.resolve("..data"), Path.of("..2026_12_01"));
        Path key = Files.createSymbolicLink(volume.resolve("ticket.key"), Path.of("..data/ticket.key"));
        try (TlsTestServer server = start(SessionTicketKeyFiles.nginx(key))) {
            Path second = Files.createDirectory(volume.resolve("..2026_12_02"));
            Files.write(second.resolve("ticket.key"), key(2));
            Files.createSymbolicLink(volume.resolve("..data_tmp"), Path.of("..2026_12_02"));
            Files.move(volume.resolve("..data_tmp"), volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

            Await.until(
                    "the swapped secret is read",
                    () -> server.https().sessionTicketKeys().orElseThrow().equals(SessionTicketKeys.of(key(2))));
        }
    }

    @Test
    void keyFilesThatCannotBeReadAtStartStopTheStart() throws Exception {
        Path half = write("half.key", new byte[10]);

        assertThatThrownBy(() -> start(SessionTicketKeyFiles.nginx(half)))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("the file holds 10 bytes");
    }

    private static TlsTestServer start(SessionTicketKeyFiles files) throws Exception {
        return TlsTestServer.start(TlsEngine.OPENSSL, b -> b.sessionTicketKeyFiles(files.reloadedAfter(QUIET)));
    }

    /** Replaces a file at once, as a careful writer does (a new file moved over the old one). */
    private void replace(Path file, byte[] bytes) throws Exception {
        Path next = Files.write(dir.resolve(file.getFileName() + ".next"), bytes);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path writeText(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }
}
