package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.server.tls.Certificates;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /actuator/info}'s {@code httpsd.http2} section, read over HTTP from the management
 * listener of an application that turns HTTP/2 on with limits of its own: ALPN offers {@code h2}
 * first, and the section shows it offered with the limits its connections announce. (With HTTP/2
 * off, {@code ActuatorApplicationTests} reads it as not offered, with the defaults.)
 */
@SpringBootTest(
        classes = Http2InfoApplicationTests.Application.class,
        webEnvironment = WebEnvironment.NONE,
        properties = {
            "https-server.port-secure=0",
            "management.server.port=0",
            "management.endpoints.web.exposure.include=info",
            "management.info.httpsd.enabled=true",
            "https-server.http2.enabled=true",
            "https-server.http2.max-concurrent-streams=50",
            "https-server.http2.initial-window-size=1MB",
            "https-server.http2.max-frame-size=32KB",
            "https-server.http2.max-header-list-size=8KB"
        })
class Http2InfoApplicationTests {

    @Autowired
    ApplicationContext context;

    @DynamicPropertySource
    static void tlsMaterial(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.certificate", () -> Certificates.toPem(TestHttps.SERVER.chain()));
        registry.add("https-server.ssl.private-key", () -> Certificates.toPem(TestHttps.SERVER.privateKey()));
    }

    @Test
    void theInfoEndpointShowsHttp2OfferedWithItsLimits() throws Exception {
        HttpResponse<String> response = ManagementClient.of(context).get("/actuator/info");
        assertThat(response.statusCode()).isEqualTo(200);

        Map<String, Object> http2 = JsonPath.parse(response.body()).read("$.httpsd.http2");
        assertThat(http2)
                .containsEntry("offered", true)
                .containsEntry("maxConcurrentStreams", 50)
                .containsEntry("initialWindowSize", 1024 * 1024)
                .containsEntry("maxFrameSize", 32 * 1024)
                .containsEntry("maxHeaderListSize", 8 * 1024);
        assertThat(JsonPath.parse(response.body()).read("$.httpsd.alpnProtocols", List.class))
                .startsWith("h2");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {}
}
