package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.autoconfigure.scanned.ScannedGreeting;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.tls.Certificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A Spring Boot application's annotated handlers answer a real HTTPS client. */
@SpringBootTest(
        classes = AnnotatedHandlersApplicationTests.Application.class,
        webEnvironment = WebEnvironment.NONE,
        properties = "https-server.port-secure=0")
class AnnotatedHandlersApplicationTests {

    @Value("${local.https-server.port}")
    int port;

    private HttpClient client;

    @DynamicPropertySource
    static void tlsMaterial(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.certificate", () -> Certificates.toPem(TestHttps.SERVER.chain()));
        registry.add("https-server.ssl.private-key", () -> Certificates.toPem(TestHttps.SERVER.privateKey()));
    }

    @BeforeEach
    void client() throws Exception {
        client = TestHttps.client(null);
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void componentScannedUriHandlerBeanAnswers() throws Exception {
        var response = TestHttps.get(client, port, "/greeting");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.body()).isEqualTo("GET greeting from a scanned handler");
    }

    @Test
    void componentScannedUriHandlerBeanAnswersItsSecondMethod() throws Exception {
        var response = client.send(
                java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/greeting"))
                        .PUT(BodyPublishers.noBody())
                        .build(),
                BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("PUT greeting from a scanned handler");
    }

    @Test
    void uriMappingMethodOfTheApplicationClassAnswers() throws Exception {
        var response = client.send(
                java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/echo"))
                        .POST(BodyPublishers.ofString("ping"))
                        .build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ping");
    }

    @Test
    void unmappedPathIsNotFound() throws Exception {
        assertThat(TestHttps.get(client, port, "/nothing").statusCode()).isEqualTo(404);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ComponentScan(basePackageClasses = ScannedGreeting.class)
    static class Application {
        @UriMapping(uri = "/echo", method = HttpMethod.POST)
        void echo(HttpRequest request, HttpResponse response) throws IOException {
            response.contentType("text/plain").send(request.body().readAllBytes());
        }
    }
}
