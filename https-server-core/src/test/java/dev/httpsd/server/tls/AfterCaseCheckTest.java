package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The shared after-case check passes a clean case and fails each kind of thing left behind. */
class AfterCaseCheckTest {

    private static final Duration SHORT = Duration.ofSeconds(2);

    @Test
    void aCaseThatLeavesNothingBehindPasses() throws Exception {
        try (TlsTestServer server = TlsTestServer.start();
                AfterCaseCheck check = AfterCaseCheck.before(server.https())) {
            try (Socket abuser = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                abuser.getOutputStream().write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28});
                assertThat(abuser.getInputStream().read()).isEqualTo(-1);
            }
            check.assertNobodyNoticed();
        }
    }

    @Test
    void aConnectionStillOpenFailsTheCheck() throws Exception {
        try (TlsTestServer server = TlsTestServer.start();
                AfterCaseCheck check = AfterCaseCheck.before(server.https()).patience(SHORT);
                Socket leftOpen = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            assertThatThrownBy(check::assertNobodyNoticed)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("sessions not back to the bystander's (1): 2 open");
        }
    }

    @Test
    void aServerLogLineAboveDebugFailsTheCheck() throws Exception {
        try (TlsTestServer server = TlsTestServer.start();
                AfterCaseCheck check = AfterCaseCheck.before(server.https())) {
            Logger.getLogger(HttpsServer.class.getName()).warning("something the server should not have said");

            assertThatThrownBy(check::assertNobodyNoticed)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("WARNING something the server should not have said");
        }
    }

    @Test
    void aBystanderThatIsNoLongerServedFailsTheCheck() throws Exception {
        try (TlsTestServer server = TlsTestServer.start();
                AfterCaseCheck check = AfterCaseCheck.before(server.https())) {
            // what a case that wrongly closed other sessions would leave
            int bystander = server.https().httpServer().clientList().getFirst();
            server.https().httpServer().session(bystander).orElseThrow().triggerClose();

            assertThatThrownBy(check::assertNobodyNoticed).isInstanceOf(Throwable.class);
        }
    }
}
