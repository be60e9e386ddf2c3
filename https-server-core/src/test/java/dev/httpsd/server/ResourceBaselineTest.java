package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hygiene check can fail: it sees each kind of leftover it is meant to catch. */
class ResourceBaselineTest {

    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    void aServerSocketLeftInCloseWaitIsReported() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            ResourceBaseline baseline = ResourceBaseline.record(() -> 0, listener.getLocalPort());
            Socket accepted;
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                accepted = listener.accept();
            }
            try (accepted) {
                Await.until(
                        "the accepted socket is in CLOSE_WAIT",
                        () -> !baseline.measure().closeWait().isEmpty());

                assertThatThrownBy(() -> baseline.awaitReturn(SHORT)).hasMessageContaining("server side");
            }
            assertThat(baseline.awaitReturn().closeWait()).isEmpty();
        }
    }

    @Test
    void descriptorsBeyondTheToleranceAreReported(@TempDir Path dir) throws Exception {
        ResourceBaseline baseline = ResourceBaseline.record(() -> 0, 0);
        Path file = Files.writeString(dir.resolve("open"), "x");
        List<InputStream> open = new ArrayList<>();
        try {
            // well beyond the tolerance: descriptors of earlier tests may still be closing, and
            // each one that closes after the baseline was taken hides one of these
            for (int i = 0; i <= ResourceBaseline.FD_TOLERANCE + 32; i++) {
                open.add(Files.newInputStream(file));
            }

            assertThatThrownBy(() -> baseline.awaitReturn(SHORT)).hasMessageContaining("fileDescriptors");
        } finally {
            for (InputStream in : open) {
                in.close();
            }
        }
        baseline.awaitReturn();
    }

    @Test
    void aServerThreadOrSessionLeftBehindIsReported() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        ResourceBaseline baseline = ResourceBaseline.record(sessions::get, 0);
        CountDownLatch release = new CountDownLatch(1);
        Thread leaked = Thread.ofPlatform().name("httpd-leaked-0").start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sessions.set(1);
        try {
            assertThatThrownBy(() -> baseline.awaitReturn(SHORT))
                    .hasMessageContaining("httpd-leaked-0")
                    .hasMessageContaining("sessions=1");
        } finally {
            release.countDown();
            leaked.join();
        }
        sessions.set(0);
        baseline.awaitReturn();
    }
}
