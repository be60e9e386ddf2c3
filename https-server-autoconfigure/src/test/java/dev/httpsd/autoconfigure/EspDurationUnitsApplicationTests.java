package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpServerConfig;
import dev.httpsd.server.tls.Certificates;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An ESP developer's {@code recv-wait-timeout: 5} means five seconds, as {@code
 * recv_wait_timeout = 5} does in {@code httpd_config_t}, not Spring's default of milliseconds.
 */
@SpringBootTest(
        classes = EspDurationUnitsApplicationTests.Application.class,
        webEnvironment = WebEnvironment.NONE,
        properties = {"https-server.port-secure=0", "https-server.recv-wait-timeout=5"})
class EspDurationUnitsApplicationTests {

    @Autowired
    HttpsServerLifecycle lifecycle;

    @DynamicPropertySource
    static void tlsMaterial(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.certificate", () -> Certificates.toPem(TestHttps.SERVER.chain()));
        registry.add("https-server.ssl.private-key", () -> Certificates.toPem(TestHttps.SERVER.privateKey()));
    }

    @Test
    void recvWaitTimeoutFiveIsFiveSeconds() {
        HttpServerConfig httpd = lifecycle.server().config().httpd();
        assertThat(httpd.recvWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {}
}
