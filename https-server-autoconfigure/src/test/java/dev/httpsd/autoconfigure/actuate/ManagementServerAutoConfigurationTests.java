package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.tls.Certificates;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.logging.LoggersEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * When the management listener exists, where it listens and what Boot's {@code management.*}
 * settings change on it.
 */
class ManagementServerAutoConfigurationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static final AutoConfigurations ACTUATOR = AutoConfigurations.of(
            SslAutoConfiguration.class,
            HttpsServerAutoConfiguration.class,
            HttpsServerActuatorAutoConfiguration.class,
            HttpsServerManagementAutoConfiguration.class,
            EndpointAutoConfiguration.class,
            JacksonEndpointAutoConfiguration.class,
            HealthContributorAutoConfiguration.class,
            HealthContributorRegistryAutoConfiguration.class,
            HealthEndpointAutoConfiguration.class,
            ApplicationAvailabilityAutoConfiguration.class,
            AvailabilityHealthContributorAutoConfiguration.class,
            AvailabilityProbesAutoConfiguration.class,
            InfoEndpointAutoConfiguration.class,
            LoggersEndpointAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(ACTUATOR)
            .withBean(ReadyOnRefresh.class)
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                    "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()));

    /** What SpringApplication does once an application is ready, which a context runner does not. */
    static class ReadyOnRefresh implements ApplicationListener<ContextRefreshedEvent> {
        @Override
        public void onApplicationEvent(ContextRefreshedEvent event) {
            AvailabilityChangeEvent.publish(event.getApplicationContext(), LivenessState.CORRECT);
            AvailabilityChangeEvent.publish(event.getApplicationContext(), ReadinessState.ACCEPTING_TRAFFIC);
        }
    }

    @Test
    void withoutManagementServerPortNoListenerIsBound() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ManagementServer.class);
            assertThat(context.getEnvironment().getProperty(ManagementServer.PORT_PROPERTY))
                    .isNull();
        });
    }

    @Test
    void aNegativeManagementServerPortSwitchesHttpEndpointsOffAsInBoot() {
        runner.withPropertyValues("management.server.port=-1")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ManagementServer.class));
    }

    @Test
    void portZeroBindsAFreePortOnLoopbackAndPublishesIt() {
        runner.withPropertyValues("management.server.port=0").run(context -> {
            ManagementServer server = context.getBean(ManagementServer.class);
            assertThat(server.port()).isPositive();
            assertThat(context.getEnvironment().getProperty(ManagementServer.PORT_PROPERTY, Integer.class))
                    .isEqualTo(server.port());
            assertThat(ManagementClient.of(context).get("/actuator/health").statusCode())
                    .isEqualTo(200);
        });
    }

    @Test
    void theListenerStopsAndStartsWithTheApplicationsServer() {
        runner.withPropertyValues("management.server.port=0").run(context -> {
            ManagementServer server = context.getBean(ManagementServer.class);
            assertThat(server.getPhase())
                    .as("started before and stopped after the httpsd server, and so after its graceful drain")
                    .isLessThan(context.getBean(HttpsServerLifecycle.class).getPhase())
                    .isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
            context.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(server.port()).isEqualTo(-1);
            context.start();
            assertThat(server.port()).isPositive();
            assertThat(ManagementClient.of(context).get("/actuator/health").statusCode())
                    .as("the port published after the restart answers")
                    .isEqualTo(200);
        });
    }

    @Test
    void probesKeepAnsweringWhileTheServerDrainsAndTheListenerStopsLast() {
        runner.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class))
                .withUserConfiguration(SlowHandler.class)
                .withPropertyValues(
                        "management.server.port=0",
                        "https-server.transport-mode=insecure",
                        "https-server.port-insecure=0")
                .run(context -> {
                    SlowHandler slow = context.getBean(SlowHandler.class);
                    ManagementServer listener = context.getBean(ManagementServer.class);
                    ManagementClient management = ManagementClient.of(context);
                    int port = context.getBean(HttpsServerLifecycle.class)
                            .webServer()
                            .getPort();
                    try (HttpClient client = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .build()) {
                        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow"))
                                        .timeout(DEADLINE)
                                        .build(),
                                BodyHandlers.ofString());
                        assertThat(slow.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                                .isTrue();
                        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
                        await().atMost(DEADLINE).until(() -> connectionRefused(port));
                        assertThat(management.get("/actuator/health/readiness").statusCode())
                                .as("readiness refuses traffic while the server drains")
                                .isEqualTo(503);
                        assertThat(management.get("/actuator/health/liveness").statusCode())
                                .isEqualTo(200);
                        assertThat(closing)
                                .as("the drain waits for the request in flight")
                                .isNotDone();
                        slow.release.countDown();
                        assertThat(inFlight.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)
                                        .statusCode())
                                .isEqualTo(200);
                        closing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                        assertThat(listener.isRunning()).isFalse();
                        assertThat(connectionRefused(management.port())).isTrue();
                    }
                });
    }

    private static boolean connectionRefused(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) DEADLINE.toMillis());
            // a connect to a loopback port nobody listens on can meet itself (TCP simultaneous
            // open) when the kernel picks that same port as the local one: nothing was listening
            return socket.getLocalPort() == port;
        } catch (ConnectException e) {
            return true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowHandler {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @UriMapping(uri = "/slow")
        String slow() throws InterruptedException {
            entered.countDown();
            return release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS) ? "finished" : "released by the deadline";
        }
    }

    @Test
    void aServletApplicationGetsActuatorFromBootAndNoHttpsdListener() {
        new WebApplicationContextRunner()
                .withConfiguration(ACTUATOR)
                .withPropertyValues(
                        "https-server.port-secure=0",
                        "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                        "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()),
                        "management.server.port=0")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(ManagementServer.class);
                    assertThat(context).doesNotHaveBean(WebEndpointsSupplier.class);
                });
    }

    @Test
    void basePathsAndPathMappingMoveTheEndpoints() throws Exception {
        runner.withPropertyValues(
                        "management.server.port=0",
                        "management.server.base-path=/ops",
                        "management.endpoints.web.base-path=/manage",
                        "management.endpoints.web.path-mapping.health=healthcheck")
                .run(context -> {
                    ManagementClient client = ManagementClient.of(context);
                    assertThat(client.get("/ops/manage/healthcheck").statusCode())
                            .isEqualTo(200);
                    assertThat(client.get("/ops/manage/healthcheck/liveness").statusCode())
                            .isEqualTo(200);
                    assertThat(client.get("/actuator/health").statusCode()).isEqualTo(404);
                    assertThat(JsonPath.parse(client.get("/ops/manage").body())
                                    .read("$._links.health.href", String.class))
                            .endsWith("/ops/manage/healthcheck");
                });
    }

    @Test
    void anEmptyBasePathServesTheLinksAtTheRoot() throws Exception {
        runner.withPropertyValues("management.server.port=0", "management.endpoints.web.base-path=/")
                .run(context -> {
                    ManagementClient client = ManagementClient.of(context);
                    assertThat(client.get("/").statusCode()).isEqualTo(200);
                    assertThat(client.get("/health").statusCode()).isEqualTo(200);
                });
    }

    @Test
    void discoveryCanBeSwitchedOff() throws Exception {
        runner.withPropertyValues("management.server.port=0", "management.endpoints.web.discovery.enabled=false")
                .run(context -> assertThat(
                                ManagementClient.of(context).get("/actuator").statusCode())
                        .isEqualTo(404));
    }

    @Test
    void exposureIncludesAndExcludesAsInBoot() throws Exception {
        runner.withPropertyValues("management.server.port=0").run(context -> {
            ManagementClient client = ManagementClient.of(context);
            assertThat(client.get("/actuator/health").statusCode()).isEqualTo(200);
            assertThat(client.get("/actuator/info").statusCode())
                    .as("Boot exposes only health by default")
                    .isEqualTo(404);
        });
        runner.withPropertyValues(
                        "management.server.port=0",
                        "management.endpoints.web.exposure.include=*",
                        "management.endpoints.web.exposure.exclude=loggers")
                .run(context -> {
                    ManagementClient client = ManagementClient.of(context);
                    assertThat(client.get("/actuator/info").statusCode()).isEqualTo(200);
                    assertThat(client.get("/actuator/loggers").statusCode()).isEqualTo(404);
                });
    }

    @Test
    void readOnlyAccessLeavesNoWriteOperation() throws Exception {
        runner.withBean(Counter.class)
                .withPropertyValues(
                        "management.server.port=0",
                        "management.endpoints.web.exposure.include=counter",
                        "management.endpoint.counter.access=READ_ONLY")
                .run(context -> {
                    ManagementClient client = ManagementClient.of(context);
                    assertThat(client.get("/actuator/counter").body()).isEqualTo("0");
                    HttpResponse<String> write = client.post("/actuator/counter", "application/json", "{\"by\":2}");
                    assertThat(write.statusCode()).isEqualTo(405);
                    assertThat(write.headers().firstValue("Allow")).hasValue("GET, HEAD");
                });
        runner.withBean(Counter.class)
                .withPropertyValues("management.server.port=0", "management.endpoints.web.exposure.include=counter")
                .run(context -> {
                    ManagementClient client = ManagementClient.of(context);
                    assertThat(client.post("/actuator/counter", "application/json", "{\"by\":2}")
                                    .statusCode())
                            .isEqualTo(204);
                    assertThat(client.get("/actuator/counter").body()).isEqualTo("2");
                });
    }

    @Endpoint(id = "counter")
    static class Counter {
        private final AtomicInteger count = new AtomicInteger();

        @ReadOperation
        int count() {
            return count.get();
        }

        @WriteOperation
        void add(int by) {
            count.addAndGet(by);
        }
    }

    @Test
    void showDetailsAndShowComponentsAreHonoured() throws Exception {
        runner.withPropertyValues("management.server.port=0", "management.endpoint.health.show-components=always")
                .run(context -> {
                    Map<String, Object> health = JsonPath.parse(ManagementClient.of(context)
                                    .get("/actuator/health")
                                    .body())
                            .read("$");
                    assertThat(health).containsKey("components");
                    assertThat(JsonPath.parse(ManagementClient.of(context)
                                            .get("/actuator/health/httpsd")
                                            .body())
                                    .read("$", Map.class))
                            .containsEntry("status", "UP")
                            .doesNotContainKey("details");
                });
        runner.withPropertyValues("management.server.port=0", "management.endpoint.health.show-details=always")
                .run(context -> assertThat(JsonPath.parse(ManagementClient.of(context)
                                        .get("/actuator/health")
                                        .body())
                                .read("$.components.httpsd.details.transportMode", String.class))
                        .isEqualTo("SECURE"));
    }

    @Test
    void readinessRefusingTrafficIsAnswered503() throws Exception {
        runner.withPropertyValues("management.server.port=0").run(context -> {
            ManagementClient client = ManagementClient.of(context);
            assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        });
    }

    @Test
    void aHealthGroupsAdditionalManagementPathIsServed() throws Exception {
        runner.withPropertyValues(
                        "management.server.port=0",
                        "management.endpoint.health.group.liveness.additional-path=management:/livez")
                .run(context -> {
                    HttpResponse<String> livez = ManagementClient.of(context).get("/livez");
                    assertThat(livez.statusCode()).isEqualTo(200);
                    assertThat(JsonPath.parse(livez.body()).read("$.status", String.class))
                            .isEqualTo("UP");
                });
    }

    @Test
    void theHealthWebExtensionIsCreatedThoughTheApplicationIsNotAWebApplication() {
        runner.withPropertyValues("management.server.port=0")
                .run(context -> assertThat(context).hasSingleBean(HealthEndpointWebExtension.class));
    }

    @Test
    void managementSslIsRefusedBecauseTheListenerIsPlainHttp() {
        runner.withPropertyValues("management.server.port=0", "management.server.ssl.enabled=true")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("management.server.ssl.enabled")
                        .hasMessageContaining("plain HTTP only"));
    }

    @Test
    void managementSslSetByABundleAloneIsRefusedTooAsBootWouldServeTlsThere() {
        runner.withPropertyValues("management.server.port=0", "management.server.ssl.bundle=management")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("plain HTTP only"));
    }

    @Test
    void bootsOwnManagementServerPropertiesAreTheConfiguration() {
        runner.withPropertyValues("management.server.port=0", "management.server.base-path=ops/")
                .run(context -> {
                    assertThat(context.getBean(ManagementServerProperties.class).getBasePath())
                            .isEqualTo("/ops");
                    assertThat(ManagementClient.of(context)
                                    .get("/ops/actuator/health")
                                    .statusCode())
                            .isEqualTo(200);
                });
    }

    @Test
    void withoutJacksonTheStartupFailureSaysWhatToAdd() {
        runner.withPropertyValues("management.server.port=0")
                .withClassLoader(new FilteredClassLoader(JsonMapper.class))
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("management.server.port")
                        .hasMessageContaining("tools.jackson.core:jackson-databind"));
    }

    @Test
    void removedHttpsdPropertiesStopTheApplicationAndNameTheirReplacement() {
        Map.of(
                        "https-server.management.port=8081", "management.server.port",
                        "https-server.management.address=127.0.0.1", "management.server.address",
                        "https-server.health.certificate-validity-warning-threshold=7d",
                                "management.health.ssl.certificate-validity-warning-threshold",
                        "https-server.shutdown-grace-period=10s", "spring.lifecycle.timeout-per-shutdown-phase",
                        "https-server.ssl.dev-certificate-directory=/tmp/dev",
                                "https-server.ssl.dev-certificate.directory")
                .forEach((removed, replacement) -> runner.withPropertyValues(removed)
                        .run(context -> assertThat(context.getStartupFailure())
                                .rootCause()
                                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                                .hasMessageContaining(removed.substring(0, removed.indexOf('=')))
                                .hasMessageContaining("use " + replacement)));
    }
}
