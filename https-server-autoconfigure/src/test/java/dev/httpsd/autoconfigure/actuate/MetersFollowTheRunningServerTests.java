package dev.httpsd.autoconfigure.actuate;

import static dev.httpsd.autoconfigure.actuate.MeterReadings.exists;
import static dev.httpsd.autoconfigure.actuate.MeterReadings.read;
import static io.micrometer.core.instrument.Statistic.COUNT;
import static io.micrometer.core.instrument.Statistic.VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerCustomizer;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.HttpsServerConfig;
import dev.httpsd.test.RawHttpConnection;
import io.micrometer.core.instrument.Statistic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The meters belong to the running server: stopping it removes them, and a server started again
 * gets its own, whether it binds the same port (same tags: Micrometer would otherwise return the
 * old gauges, still reading the stopped server) or another one (new tags on every meter).
 */
class MetersFollowTheRunningServerTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class,
                    HttpsServerActuatorAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class,
                    MetricsEndpointAutoConfiguration.class,
                    EndpointAutoConfiguration.class))
            .withUserConfiguration(Application.class)
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                    "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()),
                    "management.endpoints.web.exposure.include=metrics");

    @Configuration(proxyBeanMethods = false)
    static class Application {
        @UriMapping(uri = "/hello")
        String hello() {
            return "hi";
        }

        /** Binds the port it is told to instead of the configured 0: a restart on the same port. */
        @Bean
        PortAfterRestart portAfterRestart() {
            return new PortAfterRestart();
        }
    }

    static final class PortAfterRestart implements HttpsServerCustomizer {
        final AtomicInteger port = new AtomicInteger();

        @Override
        public void customize(HttpsServerConfig.Builder config) {
            if (port.get() != 0) {
                config.portSecure(port.get());
            }
        }
    }

    @Test
    void aServerRestartedOnTheSamePortIsMeasuredByNewGaugesAndCounters() throws Exception {
        runner.run(context -> {
            MetricsEndpoint metrics = context.getBean(MetricsEndpoint.class);
            int port = port(context);
            String tag = "port:" + port;
            SSLContext tls = TestHttps.clientContext(null);
            List<RawHttpConnection> before = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    before.add(new RawHttpConnection(TestHttps.connect(tls, port)));
                    assertThat(before.get(i)
                                    .exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
                                    .status())
                            .isEqualTo(200);
                }
                awaitValue(metrics, "httpsd.connections.current", VALUE, 2, tag);
                awaitValue(metrics, "httpsd.bytes.sent", COUNT, 4, tag);

                restart(context, port);
                assertThat(port(context)).isEqualTo(port);

                try (RawHttpConnection after = new RawHttpConnection(TestHttps.connect(tls, port))) {
                    assertThat(after.exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
                                    .status())
                            .isEqualTo(200);
                    awaitValue(metrics, "httpsd.connections.current", VALUE, 1, tag);
                    awaitValue(metrics, "httpsd.bytes.sent", COUNT, 2, tag);
                    assertThat(read(metrics, "httpsd.connections.opened", COUNT, tag))
                            .as("the new server has accepted one session")
                            .isEqualTo(1.0);
                    assertThat(read(metrics, "httpsd.ssl.handshakes", COUNT, tag, "result:succeeded"))
                            .isEqualTo(1.0);
                }
            } finally {
                for (RawHttpConnection client : before) {
                    client.close();
                }
            }
        });
    }

    @Test
    void aServerRestartedOnAnotherPortLeavesNoMeterTaggedWithTheOldOne() throws Exception {
        runner.run(context -> {
            MetricsEndpoint metrics = context.getBean(MetricsEndpoint.class);
            int first = port(context);
            SSLContext tls = TestHttps.clientContext(null);
            assertThat(TestHttps.fetch(tls, first, "/hello").status()).isEqualTo(200);
            awaitValue(metrics, "httpsd.bytes.sent", COUNT, 2, "port:" + first);

            restart(context, 0);
            int second = port(context);
            assumeThat(second).as("the system picked another free port").isNotEqualTo(first);

            assertThat(TestHttps.fetch(tls, second, "/hello").status()).isEqualTo(200);
            awaitValue(metrics, "httpsd.bytes.sent", COUNT, 2, "port:" + second);
            for (String name : List.of(
                    "httpsd.connections.current",
                    "httpsd.connections.opened",
                    "httpsd.ssl.handshakes",
                    "httpsd.bytes.sent",
                    "httpsd.events.published")) {
                assertThat(exists(metrics, name, "port:" + first))
                        .as(name + " of the stopped server")
                        .isFalse();
                assertThat(exists(metrics, name, "port:" + second))
                        .as(name + " of the running server")
                        .isTrue();
            }
        });
    }

    @Test
    void stoppingTheServerRemovesItsMeters() throws Exception {
        runner.run(context -> {
            MetricsEndpoint metrics = context.getBean(MetricsEndpoint.class);
            int port = port(context);
            assertThat(TestHttps.fetch(TestHttps.clientContext(null), port, "/hello")
                            .status())
                    .isEqualTo(200);
            awaitValue(metrics, "httpsd.bytes.sent", COUNT, 2, "port:" + port);

            context.getBean(HttpsServerLifecycle.class).stop();

            assertThat(metrics.listNames().getNames())
                    .filteredOn(name -> name.startsWith("httpsd."))
                    .isEmpty();
        });
    }

    /** Stops the server and starts it again, binding {@code port} (0: any free port). */
    private static void restart(AssertableApplicationContext context, int port) {
        HttpsServerLifecycle lifecycle = context.getBean(HttpsServerLifecycle.class);
        lifecycle.stop();
        context.getBean(PortAfterRestart.class).port.set(port);
        lifecycle.start();
    }

    private static int port(AssertableApplicationContext context) {
        return context.getBean(HttpsServerLifecycle.class).server().port();
    }

    private static void awaitValue(
            MetricsEndpoint metrics, String name, Statistic statistic, double expected, String... tags) {
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(read(metrics, name, statistic, tags))
                        .as(name + " " + List.of(tags))
                        .isEqualTo(expected));
    }
}
