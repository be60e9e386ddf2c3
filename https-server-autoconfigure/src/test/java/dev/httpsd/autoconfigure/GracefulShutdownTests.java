package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.server.HttpResponse;
import dev.httpsd.test.RawHttpConnection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Closing the context drains the server in Spring Boot's graceful-shutdown phase, within {@code
 * spring.lifecycle.timeout-per-shutdown-phase}, unless {@code server.shutdown=immediate}; readiness
 * refuses traffic from the start of the shutdown.
 */
class GracefulShutdownTests {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    LifecycleAutoConfiguration.class,
                    ApplicationAvailabilityAutoConfiguration.class,
                    SslAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void requestInFlightFinishesWhileNewConnectionsAreRefusedAndReadinessRefusesTraffic() {
        runner.withUserConfiguration(SlowHandler.class).run(context -> {
            SlowHandler slow = context.getBean(SlowHandler.class);
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            int port = port(context);
            try (HttpClient client = TestHttps.client(null)) {
                CompletableFuture<java.net.http.HttpResponse<String>> inFlight = client.sendAsync(
                        java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/slow"))
                                .timeout(DEADLINE)
                                .build(),
                        BodyHandlers.ofString());
                assertThat(slow.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                        .isTrue();
                // SpringApplication announces this once the application is ready; the runner does not
                AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
                await().atMost(DEADLINE).until(() -> connectionRefused(port));
                assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
                assertThat(closing).as("close waits for the request in flight").isNotDone();
                slow.release.countDown();
                var response = inFlight.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("finished after the stop began");
                assertThat(response.headers().firstValue("Connection")).hasValue("close");
                closing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
        });
    }

    @Test
    void requestStillInFlightWhenTheShutdownPhaseTimesOutIsCut() {
        // the handler would wait ten minutes for the body: only the phase timeout can end it
        runner.withPropertyValues(
                        "spring.lifecycle.timeout-per-shutdown-phase=300ms", "https-server.recv-wait-timeout=600")
                .withUserConfiguration(SlowHandler.class)
                .run(context -> {
                    SlowHandler slow = context.getBean(SlowHandler.class);
                    try (RawHttpConnection client = new RawHttpConnection(TestHttps.tlsSocket(port(context), null))) {
                        // announces a body it never completes: the handler waits in recv()
                        client.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n12345");
                        assertThat(slow.uploading.await(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                                .isTrue();
                        CompletableFuture.runAsync(context::close).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                        assertThat(client.closedByServer()).isTrue();
                        assertThat(slow.uploaded)
                                .as("the upload never completed")
                                .isZero();
                    }
                });
    }

    @Test
    void serverShutdownImmediateClosesRequestsInFlightWithoutWaiting() {
        // a graceful shutdown would wait ten minutes for the handler
        runner.withPropertyValues("server.shutdown=immediate", "spring.lifecycle.timeout-per-shutdown-phase=10m")
                .withUserConfiguration(SlowHandler.class)
                .run(context -> {
                    SlowHandler slow = context.getBean(SlowHandler.class);
                    ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
                    AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                    try (RawHttpConnection client = new RawHttpConnection(TestHttps.tlsSocket(port(context), null))) {
                        client.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
                        assertThat(slow.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                                .isTrue();
                        CompletableFuture.runAsync(context::close).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                        assertThat(client.closedByServer()).isTrue();
                        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
                    } finally {
                        slow.release.countDown();
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
        final CountDownLatch uploading = new CountDownLatch(1);
        volatile int uploaded;

        @UriMapping(uri = "/slow")
        String slow() throws InterruptedException {
            entered.countDown();
            if (!release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                return "released by the deadline";
            }
            return "finished after the stop began";
        }

        @UriMapping(uri = "/upload", method = dev.httpsd.server.HttpMethod.POST)
        void upload(dev.httpsd.server.HttpRequest request, HttpResponse response) throws IOException {
            uploading.countDown();
            byte[] body = request.body().readAllBytes();
            uploaded = body.length;
            response.send("read " + body.length);
        }
    }
}
