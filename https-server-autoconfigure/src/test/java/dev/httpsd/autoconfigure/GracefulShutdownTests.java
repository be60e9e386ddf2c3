package dev.httpsd.autoconfigure;

import static dev.httpsd.autoconfigure.TestHttps.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RawClient;
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
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Closing the context stops the server gracefully within {@code https-server.shutdown-grace-period}. */
class GracefulShutdownTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Test
    void inFlightRequestFinishesWhileNewConnectionsAreRefused() {
        runner.withPropertyValues("https-server.shutdown-grace-period=30s")
                .withUserConfiguration(SlowHandler.class)
                .run(context -> {
                    SlowHandler slow = context.getBean(SlowHandler.class);
                    int port = port(context);
                    try (HttpClient client = TestHttps.client(null)) {
                        CompletableFuture<java.net.http.HttpResponse<String>> inFlight = client.sendAsync(
                                java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/slow"))
                                        .timeout(DEADLINE)
                                        .build(),
                                BodyHandlers.ofString());
                        assertThat(slow.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                                .isTrue();
                        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
                        await().atMost(DEADLINE).until(() -> connectionRefused(port));
                        assertThat(closing)
                                .as("close waits for the request in flight")
                                .isNotDone();
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
    void requestStillInFlightWhenTheGracePeriodEndsIsCut() {
        runner.withPropertyValues("https-server.shutdown-grace-period=200ms")
                .withUserConfiguration(SlowHandler.class)
                .run(context -> {
                    SlowHandler slow = context.getBean(SlowHandler.class);
                    try (RawClient client = new RawClient(TestHttps.tlsSocket(port(context), null))) {
                        // announces a body it never completes: the handler waits in recv()
                        client.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n12345");
                        assertThat(slow.uploading.await(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                                .isTrue();
                        context.close();
                        assertThat(client.closedByServer()).isTrue();
                    }
                });
    }

    private static boolean connectionRefused(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) DEADLINE.toMillis());
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowHandler {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch uploading = new CountDownLatch(1);

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
            response.send("read " + body.length);
        }
    }
}
