package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.tls.Certificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An application with Tomcat (spring-boot-starter-web) as well as httpsd: Boot serves Actuator on
 * its own management port, httpsd binds no management listener of its own (so {@code
 * management.server.port} is never bound twice), and httpsd's health component shows up on
 * Boot's server.
 */
@SpringBootTest(
        classes = ActuatorNextToTomcatTests.Application.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "https-server.port-secure=0",
            "management.server.port=0",
            "management.endpoint.health.show-components=always"
        })
class ActuatorNextToTomcatTests {

    @Autowired
    ApplicationContext context;

    @Value("${local.server.port}")
    int tomcatPort;

    @Value("${local.management.port}")
    int managementPort;

    @Value("${local.https-server.port}")
    int httpsPort;

    @DynamicPropertySource
    static void tlsMaterial(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.certificate", () -> Certificates.toPem(TestHttps.SERVER.chain()));
        registry.add("https-server.ssl.private-key", () -> Certificates.toPem(TestHttps.SERVER.privateKey()));
    }

    @Test
    void bootServesActuatorOnItsManagementPortAndHttpsdBindsNoListener() throws Exception {
        assertThat(context.getBeanNamesForType(ManagementServer.class)).isEmpty();
        assertThat(managementPort).isPositive().isNotEqualTo(tomcatPort).isNotEqualTo(httpsPort);
        var health = new ManagementClient(managementPort).get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        DocumentContext json = JsonPath.parse(health.body());
        assertThat(json.read("$.status", String.class)).isEqualTo("UP");
        assertThat(json.read("$.components.httpsd.status", String.class)).isEqualTo("UP");
    }

    @Test
    void bothServersServeTheirOwnPorts() throws Exception {
        try (HttpClient https = HttpClient.newBuilder()
                .sslContext(TestHttps.clientContext(null))
                .connectTimeout(ManagementClient.TIMEOUT)
                .build()) {
            var hello = https.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/hello"))
                            .timeout(ManagementClient.TIMEOUT)
                            .build(),
                    BodyHandlers.ofString());
            assertThat(hello.body()).isEqualTo("hi");
        }
        assertThat(new ManagementClient(tomcatPort).get("/nothing-here").statusCode())
                .as("Tomcat answers on its own port")
                .isEqualTo(404);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Handlers.class)
    static class Application {}

    static class Handlers {
        @UriMapping(uri = "/hello")
        String hello() {
            return "hi";
        }
    }
}
