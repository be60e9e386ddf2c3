package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.test.RawHttpConnection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The management listener is plain HTTP with no authentication, so by default it binds the
 * loopback address only: from another address of this host (standing in for the network) its port
 * is refused, while {@code management.server.address=0.0.0.0} makes it reachable there (which
 * shows the refusal is the binding's doing, not the host's).
 */
class ManagementListenerExposureTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class,
                    HttpsServerActuatorAutoConfiguration.class,
                    HttpsServerManagementAutoConfiguration.class,
                    EndpointAutoConfiguration.class,
                    JacksonEndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class,
                    HealthContributorRegistryAutoConfiguration.class,
                    HealthEndpointAutoConfiguration.class))
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "management.server.port=0",
                    "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                    "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()));

    @Test
    void byDefaultOnlyLoopbackReachesTheManagementPort() throws Exception {
        InetAddress external = nonLoopbackAddress()
                .orElseGet(() -> Assumptions.abort("this host has no non-loopback IPv4 address to connect from"));
        runner.run(context -> {
            int port = context.getBean(ManagementServer.class).port();
            assertThat(health(InetAddress.getLoopbackAddress(), port)).startsWith("HTTP/1.1 200 ");
            assertThatExceptionOfType(ConnectException.class)
                    .as("%s:%d, the listener bound loopback only", external.getHostAddress(), port)
                    .isThrownBy(() -> health(external, port));
        });
    }

    @Test
    void anAddressSetExplicitlyIsReachableThere() throws Exception {
        InetAddress external = nonLoopbackAddress()
                .orElseGet(() -> Assumptions.abort("this host has no non-loopback IPv4 address to connect from"));
        runner.withPropertyValues("management.server.address=0.0.0.0").run(context -> {
            int port = context.getBean(ManagementServer.class).port();
            assertThat(health(external, port)).startsWith("HTTP/1.1 200 ");
        });
    }

    private static String health(InetAddress address, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(address, port), (int) DEADLINE.toMillis());
        try (RawHttpConnection connection = new RawHttpConnection(socket)) {
            return connection
                    .send("GET /actuator/health HTTP/1.1\r\nHost: management\r\nConnection: close\r\n\r\n")
                    .readToEnd();
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
    }
}
