package dev.httpsd.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.test.RawHttpConnection;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When requests are observed, and with which convention: only with an {@link ObservationRegistry}
 * bean, with the application's {@link HttpsServerRequestObservationConvention} bean in place of
 * the default one, and not at all where Boot's observation switch turns them off.
 */
class HttpsServerObservationAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class,
                    HttpsServerObservationAutoConfiguration.class,
                    ObservationAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withUserConfiguration(Hello.class)
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                    "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()));

    @Configuration(proxyBeanMethods = false)
    static class Hello {
        @UriMapping(uri = "/hello")
        String hello() {
            return "hi";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SpringNames {
        /** Spring's name for an unmatched 404. */
        @Bean
        HttpsServerRequestObservationConvention springNames() {
            return new DefaultHttpsServerRequestObservationConvention() {
                @Override
                protected KeyValue uri(HttpsServerRequestObservationContext context) {
                    CompletedStatus status = CompletedStatus.of(context);
                    return context.getUriTemplate() == null && status.is(404)
                            ? KeyValue.of("uri", "NOT_FOUND")
                            : super.uri(context);
                }
            };
        }
    }

    /** The status of the completed response, if it is complete. */
    record CompletedStatus(int status) {
        static CompletedStatus of(HttpsServerRequestObservationContext context) {
            return new CompletedStatus(
                    context.getResponse() == null ? 0 : context.getResponse().status());
        }

        boolean is(int code) {
            return status == code;
        }
    }

    @Test
    void requestsAreObservedWithTheDefaultConvention() {
        runner.run(context -> {
            traffic(context);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("http.server.requests")
                            .tags("uri", "/hello", "status", "200", "outcome", "SUCCESS")
                            .timer())
                    .isNotNull();
            assertThat(registry.find("http.server.requests")
                            .tags("uri", "UNKNOWN", "status", "404", "outcome", "CLIENT_ERROR")
                            .timer())
                    .isNotNull();
        });
    }

    @Test
    void anApplicationConventionBeanReplacesTheDefault() {
        runner.withUserConfiguration(SpringNames.class).run(context -> {
            traffic(context);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("http.server.requests")
                            .tags("uri", "NOT_FOUND", "status", "404")
                            .timer())
                    .isNotNull();
            assertThat(registry.find("http.server.requests")
                            .tags("uri", "/hello")
                            .timer())
                    .isNotNull();
        });
    }

    @Test
    void bootsObservationSwitchTurnsTheRequestsObservationOff() {
        runner.withPropertyValues("management.observations.enable.http.server.requests=false")
                .run(context -> {
                    traffic(context);
                    assertThat(context.getBean(MeterRegistry.class)
                                    .find("http.server.requests")
                                    .meters())
                            .isEmpty();
                });
    }

    @Test
    void withoutAnObservationRegistryNothingIsObserved() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        SslAutoConfiguration.class,
                        HttpsServerAutoConfiguration.class,
                        HttpsServerObservationAutoConfiguration.class))
                .withPropertyValues("https-server.port-secure=0")
                .withPropertyValues(
                        "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                        "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()))
                .run(context -> assertThat(context).doesNotHaveBean("httpsServerRequestObservations"));
    }

    @Test
    void withoutMicrometerObservationOnTheClassPathTheStarterStillStarts() {
        runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean("httpsServerRequestObservations");
                });
    }

    /**
     * A 200 and a 404 on one connection, then one more request: a session completes a request
     * (and stops its observation) before it reads the next, so once the third answer is read the
     * first two are observed.
     */
    private static void traffic(ApplicationContext context) throws Exception {
        int port = context.getBean(HttpsServerLifecycle.class).server().port();
        SSLContext tls = TestHttps.clientContext(null);
        try (RawHttpConnection raw = new RawHttpConnection(TestHttps.connect(tls, port))) {
            assertThat(raw.exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").status())
                    .isEqualTo(200);
            assertThat(raw.exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").status())
                    .isEqualTo(404);
            assertThat(raw.exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").status())
                    .isEqualTo(200);
        }
    }
}
