package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.LocalHttpsServerPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * https-server-test under DEFINED_PORT: the configured port is used, still with the test
 * certificate. The configured port is one the system just reported free, not a fixed number.
 */
@SpringBootTest(
        classes = TestSupportApplication.class,
        webEnvironment = WebEnvironment.DEFINED_PORT,
        properties = {
            TestSupportApplication.CONFIG,
            "https-server.redirect-insecure=false",
            "management.server.port=-1",
            "https-server.address=127.0.0.1",
            // spring-boot-starter-web is on this module's test class path: its Tomcat must not
            // take the fixed default 8080 under DEFINED_PORT
            "server.port=0"
        })
class DefinedPortTestSupportTests {

    private static final int CONFIGURED = freePort();

    @LocalHttpsServerPort
    int port;

    @Autowired
    LocalHttpsServer server;

    @DynamicPropertySource
    static void port(DynamicPropertyRegistry registry) {
        registry.add("https-server.port-secure", () -> CONFIGURED);
    }

    @Test
    void theConfiguredPortIsUsedWithTheTestCertificate() throws Exception {
        assertThat(port).isEqualTo(CONFIGURED);
        assertThat(server.get("/hello").body()).isEqualTo("Hello World");
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
