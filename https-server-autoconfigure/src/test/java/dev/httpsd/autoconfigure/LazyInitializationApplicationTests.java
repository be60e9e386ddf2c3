package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.tls.Certificates;
import java.net.http.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code spring.main.lazy-initialization=true} no bean is created until something needs it;
 * the handlers are found among the bean definitions, so they are created and served all the same.
 */
@SpringBootTest(
        classes = LazyInitializationApplicationTests.Application.class,
        webEnvironment = WebEnvironment.NONE,
        properties = {"spring.main.lazy-initialization=true", "https-server.port-secure=0"})
class LazyInitializationApplicationTests {

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
    void aUriMappingMethodOfALazyBeanIsServed() throws Exception {
        var response = TestHttps.get(client, port, "/lazy-mapping");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("created for the server");
    }

    @Test
    void aLazyUriHandlerBeanIsServed() throws Exception {
        var response = TestHttps.get(client, port, "/lazy-handler");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("a lazy RequestHandler");
    }

    @Test
    void anUnmappedPathIsStillNotFound() throws Exception {
        assertThat(TestHttps.get(client, port, "/nothing").statusCode()).isEqualTo(404);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Mappings mappings() {
            return new Mappings();
        }

        @Bean
        LazyHandler lazyHandler() {
            return new LazyHandler();
        }
    }

    static class Mappings {
        @UriMapping(uri = "/lazy-mapping")
        String mapped() {
            return "created for the server";
        }
    }

    @UriHandlerBean(uri = "/lazy-handler")
    static class LazyHandler implements RequestHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws Exception {
            response.contentType("text/plain").send("a lazy RequestHandler");
        }
    }
}
