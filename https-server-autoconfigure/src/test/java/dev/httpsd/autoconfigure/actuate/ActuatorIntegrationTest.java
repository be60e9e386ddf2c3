package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.SslHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.info.SslInfo;
import org.springframework.boot.info.SslInfo.CertificateChainInfo;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ActuatorIntegrationTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class,
                    HttpsServerActuatorAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class,
                    MetricsEndpointAutoConfiguration.class,
                    EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class,
                    org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration
                            .class,
                    HealthEndpointAutoConfiguration.class,
                    SslHealthContributorAutoConfiguration.class,
                    InfoContributorAutoConfiguration.class,
                    InfoEndpointAutoConfiguration.class,
                    org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration.class,
                    dev.httpsd.autoconfigure.observation.HttpsServerObservationAutoConfiguration.class))
            .withUserConfiguration(Hello.class)
            .withPropertyValues(
                    "https-server.port-secure=0", "management.endpoints.web.exposure.include=health,info,metrics");

    @Configuration(proxyBeanMethods = false)
    static class Hello {
        @UriMapping(uri = "/hello")
        String hello() {
            return "hi";
        }
    }

    private ApplicationContextRunner withCertificate(KeyMaterial key) throws Exception {
        Path[] pem = TestHttps.writePem(key, dir, "server");
        return runner.withPropertyValues(
                "https-server.ssl.certificate=" + pem[0], "https-server.ssl.private-key=" + pem[1]);
    }

    @Test
    void recordsMetersForRealTrafficAndFailedHandshakes() throws Exception {
        withCertificate(TestHttps.SERVER).run(context -> {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.https-server.port"));
            HttpClient trusting = HttpClient.newBuilder()
                    .sslContext(TestHttps.clientContext(null))
                    .build();
            for (int i = 0; i < 3; i++) {
                var response = trusting.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hello"))
                                .build(),
                        BodyHandlers.ofString());
                assertThat(response.body()).isEqualTo("hi");
            }
            trusting.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/missing"))
                            .build(),
                    BodyHandlers.discarding());
            KeyMaterial stranger = Certificates.selfSigned("stranger", Duration.ofDays(1), List.of("localhost"));
            HttpClient distrusting = HttpClient.newBuilder()
                    .sslContext(TestHttps.clientContext(null, stranger.certificate()))
                    .build();
            assertThatThrownBy(() -> distrusting.send(
                            HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hello"))
                                    .build(),
                            BodyHandlers.discarding()))
                    .isInstanceOf(SSLHandshakeException.class);

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            awaitCount(registry, "http.server.requests", "status", "200", 3);
            awaitCount(registry, "http.server.requests", "status", "404", 1);
            assertThat(registry.get("httpsd.ssl.handshakes")
                            .tag("result", "succeeded")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(1);
            awaitCounter(registry, "httpsd.ssl.handshakes", "result", "failed");
            assertThat(registry.get("httpsd.ssl.handshakes")
                            .tag("result", "succeeded")
                            .counter()
                            .getId()
                            .getTag("protocol"))
                    .isEqualTo("TLSv1.3");
            assertThat(registry.get("httpsd.ssl.handshake.duration").timer().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(registry.get("httpsd.connections.opened")
                            .functionCounter()
                            .count())
                    .isGreaterThanOrEqualTo(2);
            assertThat(registry.get("httpsd.bytes.sent").counter().count()).isGreaterThanOrEqualTo(6);
            assertThat(registry.get("httpsd.events.published")
                            .tag("event", "ON_CONNECTED")
                            .counters())
                    .isNotEmpty();
            assertThat(registry.get("httpsd.bytes.sent").counter().getId().getTag("port"))
                    .isEqualTo(Integer.toString(port));
        });
    }

    @Test
    void healthIsUpWhileListeningAndShowsPortModeSessionsAndNoDevelopmentCertificate() throws Exception {
        withCertificate(TestHttps.SERVER).run(context -> {
            Health health = context.getBean("httpsdHealthIndicator", HealthIndicator.class)
                    .health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsEntry("port", httpsPort(context))
                    .containsEntry("transportMode", "SECURE")
                    .containsEntry("openSessions", 0)
                    .containsEntry("developmentCertificate", false)
                    .doesNotContainKeys("validChains", "expiringChains", "invalidChains");
        });
    }

    @Test
    void healthIsDownOnceTheServerStopped() throws Exception {
        withCertificate(TestHttps.SERVER).run(context -> {
            context.getBean(HttpsServerLifecycle.class).stop();
            assertThat(context.getBean("httpsdHealthIndicator", HealthIndicator.class)
                            .health(true)
                            .getStatus())
                    .isEqualTo(Status.DOWN);
        });
    }

    @Test
    void healthIsOffWithItsLowercaseSwitchAndBacksOffForABeanOfItsName() throws Exception {
        withCertificate(TestHttps.SERVER)
                .withPropertyValues("management.health.httpsd.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("httpsdHealthIndicator"));
        withCertificate(TestHttps.SERVER)
                .withBean(
                        "httpsdHealthIndicator",
                        HealthIndicator.class,
                        () -> () -> Health.unknown().build())
                .run(context -> {
                    assertThat(context).doesNotHaveBean(HttpsServerHealthIndicator.class);
                    assertThat(context.getBean("httpsdHealthIndicator", HealthIndicator.class)
                                    .health(true)
                                    .getStatus())
                            .isEqualTo(Status.UNKNOWN);
                });
    }

    @Test
    void thePemCertificateIsInBootsSslHealthAsTheHttpsServerBundle() throws Exception {
        withCertificate(TestHttps.SERVER).run(context -> {
            assertThat(context.getBean(SslBundles.class).getBundleNames()).containsExactly("https-server");
            Health ssl =
                    context.getBean("sslHealthIndicator", HealthIndicator.class).health(true);
            assertThat(ssl.getStatus()).isEqualTo(Status.UP);
            List<CertificateChainInfo> valid = chains(ssl, "validChains");
            assertThat(valid).singleElement().satisfies(chain -> {
                assertThat(chain.getAlias()).isEqualTo("default");
                assertThat(chain.getCertificates().getFirst().getSerialNumber())
                        .isEqualTo(
                                TestHttps.SERVER.certificate().getSerialNumber().toString(16));
            });
        });
    }

    @Test
    void bootsThresholdListsAnExpiringCertificateAndAnExpiredOneMakesSslOutOfService() throws Exception {
        Instant now = Instant.now();
        KeyMaterial expiring = TestHttps.CA.issueServer(
                "localhost",
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3)),
                Certificates.DEVELOPMENT_NAMES);
        KeyMaterial expired = TestHttps.CA.issueServer(
                "localhost",
                now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)),
                Certificates.DEVELOPMENT_NAMES);
        withCertificate(expiring)
                .withPropertyValues("management.health.ssl.certificate-validity-warning-threshold=14d")
                .run(context -> {
                    Health ssl = context.getBean("sslHealthIndicator", HealthIndicator.class)
                            .health(true);
                    assertThat(ssl.getStatus()).isEqualTo(Status.UP);
                    assertThat(chains(ssl, "expiringChains")).hasSize(1);
                    assertThat(context.getBean("httpsdHealthIndicator", HealthIndicator.class)
                                    .health(true)
                                    .getStatus())
                            .as("certificate validity is the ssl indicator's, not repeated by httpsd's")
                            .isEqualTo(Status.UP);
                });
        withCertificate(expired).run(context -> {
            Health ssl =
                    context.getBean("sslHealthIndicator", HealthIndicator.class).health(true);
            assertThat(ssl.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(chains(ssl, "invalidChains")).hasSize(1);
        });
    }

    @Test
    void aDevelopmentCertificateInUseIsMarkedInHealthAndInfo() throws Exception {
        runner.withPropertyValues(
                        "https-server.ssl.dev-certificate.enabled=true",
                        "https-server.ssl.dev-certificate.directory=" + dir.resolve("dev"),
                        "management.info.httpsd.enabled=true")
                .run(context -> {
                    assertThat(context.getBean(HttpsServerLifecycle.class).usesDevelopmentCertificate())
                            .isTrue();
                    assertThat(context.getBean("httpsdHealthIndicator", HealthIndicator.class)
                                    .health(true)
                                    .getDetails())
                            .containsEntry("developmentCertificate", true);
                    assertThat(httpsdInfo(context)).containsEntry("developmentCertificate", true);
                    assertThat(chains(
                                    context.getBean("sslHealthIndicator", HealthIndicator.class)
                                            .health(true),
                                    "validChains"))
                            .singleElement()
                            .satisfies(chain -> assertThat(
                                            chain.getCertificates().getFirst().getSubject())
                                    .isEqualTo("CN=localhost"));
                });
    }

    @Test
    void infoIsOffUntilEnabledLikeBootsOwnContributors() throws Exception {
        withCertificate(TestHttps.SERVER).run(context -> {
            assertThat(context).doesNotHaveBean(HttpsServerInfoContributor.class);
            assertThat(context.getBean(InfoEndpoint.class).info()).doesNotContainKey("httpsd");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void infoDescribesPortsTlsBundlesAndHandlersWhenEnabled() throws Exception {
        withCertificate(TestHttps.SERVER)
                .withPropertyValues("management.info.httpsd.enabled=true", "management.info.ssl.enabled=true")
                .run(context -> {
                    Map<String, Object> info = httpsdInfo(context);
                    assertThat(info)
                            .containsEntry("transportMode", "SECURE")
                            .containsEntry("clientAuth", "NONE")
                            .containsEntry("developmentCertificate", false)
                            .doesNotContainKey("certificateChains");
                    assertThat((List<String>) info.get("protocols")).containsExactly("TLSv1.3", "TLSv1.2");
                    assertThat((java.util.Collection<String>) info.get("sslBundles"))
                            .containsExactly("https-server");
                    assertThat((List<Map<String, Object>>) info.get("uriHandlers"))
                            .anySatisfy(handler -> assertThat(handler).containsEntry("uri", "/hello"));
                    SslInfo ssl =
                            (SslInfo) context.getBean(InfoEndpoint.class).info().get("ssl");
                    assertThat(ssl.getBundles()).singleElement().satisfies(bundle -> {
                        assertThat(bundle.getName()).isEqualTo("https-server");
                        assertThat(bundle.getCertificateChains())
                                .extracting(CertificateChainInfo::getAlias)
                                .containsExactly("default");
                    });
                });
    }

    private static int httpsPort(org.springframework.context.ApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty(HttpsServerLifecycle.PORT_PROPERTY));
    }

    private static List<CertificateChainInfo> chains(Health ssl, String list) {
        @SuppressWarnings("unchecked")
        List<CertificateChainInfo> chains =
                (List<CertificateChainInfo>) ssl.getDetails().get(list);
        return chains;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> httpsdInfo(org.springframework.context.ApplicationContext context) {
        return (Map<String, Object>) context.getBean(InfoEndpoint.class).info().get("httpsd");
    }

    @Test
    void backsOffWithoutActuatorAndMicrometer() throws Exception {
        Path[] pem = TestHttps.writePem(TestHttps.SERVER, dir, "server");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        SslAutoConfiguration.class,
                        HttpsServerAutoConfiguration.class,
                        HttpsServerActuatorAutoConfiguration.class))
                .withPropertyValues(
                        "https-server.port-secure=0",
                        "https-server.ssl.certificate=" + pem[0],
                        "https-server.ssl.private-key=" + pem[1])
                .withClassLoader(new FilteredClassLoader(
                        MeterRegistry.class,
                        org.springframework.boot.health.contributor.AbstractHealthIndicator.class,
                        org.springframework.boot.actuate.info.InfoContributor.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(HttpsServerMetrics.class);
                    assertThat(context).doesNotHaveBean(HttpsServerHealthIndicator.class);
                    assertThat(context).doesNotHaveBean(HttpsServerInfoContributor.class);
                    assertThat(context.getBean(HttpsServerLifecycle.class)
                                    .server()
                                    .httpServer()
                                    .config()
                                    .eventListeners())
                            .isNotEmpty(); // the Spring event bridge, not metrics
                });
    }

    private static void awaitCount(MeterRegistry registry, String name, String tag, String value, long count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            var timer = registry.find(name).tag(tag, value).timer();
            if (timer != null && timer.count() >= count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + "{" + tag + "=" + value + "} did not reach " + count);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    private static void awaitCounter(MeterRegistry registry, String name, String tag, String value) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (registry.find(name).tag(tag, value).counter() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + "{" + tag + "=" + value + "} never recorded");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }
}
