package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The CLOSE_WAIT detector finds a socket the peer closed and its owner did not, and only that. */
class TlsResourceCheckTest {

    @Test
    void aSocketClosedByItsPeerButNotByItsOwnerIsFoundInCloseWaitUntilClosed() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "no /proc/net/tcp on this system");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            try (Socket accepted = listener.accept()) {
                assertThat(TlsResourceCheck.closeWait(listener.getLocalPort())).isEmpty();

                client.close();

                assertThat(eventually(() -> TlsResourceCheck.closeWait(listener.getLocalPort())
                                        .size()
                                == 1))
                        .as("the accepted socket waits in CLOSE_WAIT")
                        .isTrue();
            }
            assertThat(TlsResourceCheck.closeWait(listener.getLocalPort())).isEmpty();
        }
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }
}
