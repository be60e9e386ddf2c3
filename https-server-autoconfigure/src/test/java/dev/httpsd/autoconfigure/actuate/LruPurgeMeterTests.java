package dev.httpsd.autoconfigure.actuate;

import static dev.httpsd.autoconfigure.actuate.MeterReadings.read;
import static io.micrometer.core.instrument.Statistic.COUNT;
import static io.micrometer.core.instrument.Statistic.VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.test.RawHttpConnection;
import io.micrometer.core.instrument.Statistic;
import java.time.Duration;
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
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * {@code httpsd.connections.lru.purges} counts the idle sessions closed to admit a client when every
 * slot is taken (ESP {@code lru_purge_enable}), and only those.
 */
class LruPurgeMeterTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String KEEP_ALIVE_GET = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n";

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
            .withUserConfiguration(Hello.class)
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.max-open-sockets=2",
                    "https-server.lru-purge-enable=true",
                    "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                    "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()),
                    "management.endpoints.web.exposure.include=metrics");

    @Configuration(proxyBeanMethods = false)
    static class Hello {
        @UriMapping(uri = "/hello")
        String hello() {
            return "hi";
        }
    }

    @Test
    void aThirdClientOnTwoSlotsPurgesTheOldestIdleSessionAndCountsOnePurge() throws Exception {
        runner.run(context -> {
            MetricsEndpoint metrics = context.getBean(MetricsEndpoint.class);
            int port = context.getBean(HttpsServerLifecycle.class).server().port();
            String tag = "port:" + port;
            SSLContext tls = TestHttps.clientContext(null);
            try (RawHttpConnection oldest = new RawHttpConnection(TestHttps.connect(tls, port));
                    RawHttpConnection newer = new RawHttpConnection(TestHttps.connect(tls, port))) {
                assertThat(oldest.exchange(KEEP_ALIVE_GET).status()).isEqualTo(200);
                // its response body counted means used: only then is the other session the more recently used one
                awaitValue(metrics, "httpsd.bytes.sent", COUNT, 2, tag);
                assertThat(newer.exchange(KEEP_ALIVE_GET).status()).isEqualTo(200);
                // both served and back to waiting for their next request: both purgeable
                awaitValue(metrics, "httpsd.bytes.sent", COUNT, 4, tag);
                awaitValue(metrics, "httpsd.connections.current", VALUE, 2, tag);
                assertThat(read(metrics, "httpsd.connections.lru.purges", COUNT, tag))
                        .isEqualTo(0.0);

                assertThat(TestHttps.fetch(tls, port, "/hello").status()).isEqualTo(200);

                assertThat(oldest.closedByServer()).isTrue();
                awaitValue(metrics, "httpsd.connections.lru.purges", COUNT, 1, tag);
                assertThat(newer.exchange(KEEP_ALIVE_GET).status())
                        .as("the more recently used session survived")
                        .isEqualTo(200);
                awaitValue(metrics, "httpsd.bytes.sent", COUNT, 8, tag);
                assertThat(read(metrics, "httpsd.connections.lru.purges", COUNT, tag))
                        .isEqualTo(1.0);
                assertThat(read(metrics, "httpsd.connections.opened", COUNT, tag))
                        .isEqualTo(3.0);
            }
        });
    }

    private static void awaitValue(
            MetricsEndpoint metrics, String name, Statistic statistic, double expected, String tag) {
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() ->
                        assertThat(read(metrics, name, statistic, tag)).as(name).isEqualTo(expected));
    }
}
