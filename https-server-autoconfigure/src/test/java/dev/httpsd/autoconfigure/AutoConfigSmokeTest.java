package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.events.ServerApplicationEvent;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.tls.KeyMaterial;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

class AutoConfigSmokeTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class));

    @Test
    void servesAnnotatedHandlersWithTheDevelopmentCertificate() {
        runner.withUserConfiguration(Handlers.class)
                .withPropertyValues(
                        "https-server.port-secure=0",
                        "https-server.ssl.dev-certificate.enabled=true",
                        "https-server.ssl.dev-certificate.directory=" + dir)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    int port = Integer.parseInt(context.getEnvironment().getProperty("local.https-server.port"));
                    KeyMaterial dev = KeyMaterial.fromPemFiles(
                            dir.resolve("dev-localhost.pem"), dir.resolve("dev-localhost-key.pem"), null);
                    HttpClient client = HttpClient.newBuilder()
                            .sslContext(TestHttps.clientContext(null, dev.certificate()))
                            .build();
                    var response = client.send(
                            java.net.http.HttpRequest.newBuilder(
                                            URI.create("https://localhost:" + port + "/hello?name=Ada"))
                                    .build(),
                            BodyHandlers.ofString());
                    assertThat(response.body()).isEqualTo("Hello Ada");
                    assertThat(context.getBean(Handlers.class).events).isNotEmpty();
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        final List<ServerApplicationEvent> events = new CopyOnWriteArrayList<>();

        @UriMapping(uri = "/hello")
        String hello(HttpRequest request) {
            return "Hello " + request.decodedQueryValue("name").orElse("World");
        }

        @EventListener
        void on(ServerApplicationEvent event) {
            events.add(event);
        }

        @Bean
        String unrelated() {
            return "x";
        }
    }
}
