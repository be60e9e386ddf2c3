package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with spring-boot-starter-web and the httpsd starter runs both servers, each on
 * its own port and under its own port property, with defaults that do not collide, and drains
 * both at once when it closes: each refuses new connections while both still finish a request in
 * flight.
 */
@SpringBootTest(
        classes = CoexistenceWithTomcatTests.Application.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "https-server.port-secure=0",
            "https-server.redirect-insecure=true",
            "https-server.port-insecure=0"
        })
class CoexistenceWithTomcatTests {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Value("${local.server.port}")
    int tomcatPort;

    @Value("${local.https-server.port}")
    int httpsdPort;

    @Autowired
    ConfigurableApplicationContext context;

    @DynamicPropertySource
    static void tlsMaterial(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.certificate", () -> Certificates.toPem(TestHttps.SERVER.chain()));
        registry.add("https-server.ssl.private-key", () -> Certificates.toPem(TestHttps.SERVER.privateKey()));
    }

    @Test
    void bothServersAnswerEachOnItsOwnPortUnderItsOwnPortProperty() throws Exception {
        assertThat(context).isInstanceOf(ServletWebServerApplicationContext.class);
        assertThat(((WebServerApplicationContext) context).getWebServer().getPort())
                .isEqualTo(tomcatPort);
        assertThat(tomcatPort).isNotEqualTo(httpsdPort);
        try (HttpClient plain = HttpClient.newBuilder().connectTimeout(DEADLINE).build();
                HttpClient tls = TestHttps.client(null)) {
            assertThat(plain.send(request("http", tomcatPort, "/tomcat"), BodyHandlers.ofString())
                            .body())
                    .isEqualTo("tomcat");
            assertThat(tls.send(request("https", httpsdPort, "/httpsd"), BodyHandlers.ofString())
                            .body())
                    .isEqualTo("httpsd");
        }
    }

    @Test
    void httpsdsDefaultPortsAreNotTheServletContainersDefault() {
        HttpsServerProperties defaults = new HttpsServerProperties();
        assertThat(defaults.getPortInsecure()).isNotEqualTo(8080);
        assertThat(defaults.getPortSecure()).isNotEqualTo(8080);
    }

    @Test
    void closingTheApplicationDrainsBothServersAtOnce() throws Exception {
        // an application of its own: the test framework's cached context must not be closed under it
        ConfigurableApplicationContext application = new SpringApplicationBuilder(Application.class)
                .properties(
                        "server.port=0",
                        "https-server.port-secure=0",
                        "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                        "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()))
                .run();
        Slow slow = application.getBean(Slow.class);
        int tomcat = ((WebServerApplicationContext) application).getWebServer().getPort();
        int httpsd = Integer.parseInt(application.getEnvironment().getRequiredProperty("local.https-server.port"));
        try (HttpClient plain = HttpClient.newBuilder().connectTimeout(DEADLINE).build();
                HttpClient tls = TestHttps.client(null)) {
            CompletableFuture<HttpResponse<String>> onTomcat =
                    plain.sendAsync(request("http", tomcat, "/tomcat/slow"), BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> onHttpsd =
                    tls.sendAsync(request("https", httpsd, "/httpsd/slow"), BodyHandlers.ofString());
            assertThat(slow.inFlight.await(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                    .as("both requests reached their handlers")
                    .isTrue();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(application::close);
            // drained one after the other, one server would still accept while the other waits
            await().atMost(DEADLINE).until(() -> refuses(tomcat) && refuses(httpsd));
            assertThat(closing).as("both drains wait for their request").isNotDone();

            slow.release.countDown();
            assertThat(onTomcat.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).body())
                    .isEqualTo("tomcat finished");
            assertThat(onHttpsd.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).body())
                    .isEqualTo("httpsd finished");
            closing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            slow.release.countDown();
            application.close();
        }
    }

    private static HttpRequest request(String scheme, int port, String path) {
        return HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + path))
                .timeout(DEADLINE)
                .build();
    }

    private static boolean refuses(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) DEADLINE.toMillis());
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Slow slow() {
            return new Slow();
        }

        @Bean
        TomcatEndpoints tomcatEndpoints(Slow slow) {
            return new TomcatEndpoints(slow);
        }

        @Bean
        HttpsdEndpoints httpsdEndpoints(Slow slow) {
            return new HttpsdEndpoints(slow);
        }
    }

    static class Slow {
        final CountDownLatch inFlight = new CountDownLatch(2);
        final CountDownLatch release = new CountDownLatch(1);

        String await(String server) throws InterruptedException {
            inFlight.countDown();
            return release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)
                    ? server + " finished"
                    : server + " released by the deadline";
        }
    }

    @RestController
    static class TomcatEndpoints {
        private final Slow slow;

        TomcatEndpoints(Slow slow) {
            this.slow = slow;
        }

        @GetMapping("/tomcat")
        String hello() {
            return "tomcat";
        }

        @GetMapping("/tomcat/slow")
        String slow() throws InterruptedException {
            return slow.await("tomcat");
        }
    }

    static class HttpsdEndpoints {
        private final Slow slow;

        HttpsdEndpoints(Slow slow) {
            this.slow = slow;
        }

        @UriMapping(uri = "/httpsd")
        String hello() {
            return "httpsd";
        }

        @UriMapping(uri = "/httpsd/slow")
        String slow() throws InterruptedException {
            return slow.await("httpsd");
        }
    }
}
