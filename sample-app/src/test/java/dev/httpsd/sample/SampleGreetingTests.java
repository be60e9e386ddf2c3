package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample's greeting endpoints over HTTPS with its development certificate: /, /hello, /async, /whoami. */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.NONE,
        properties = "https-server.port-secure=0")
class SampleGreetingTests {

    @TempDir
    static Path devCertificates;

    @Value("${local.https-server.port}")
    int port;

    private SampleHttps https;

    @DynamicPropertySource
    static void developmentCertificateDirectory(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.dev-certificate.directory", () -> devCertificates.toString());
    }

    @BeforeEach
    void trustTheDevelopmentCertificate() throws Exception {
        https = SampleHttps.trustingDevelopmentCertificate(port, devCertificates);
    }

    @Test
    void rootAnswersHelloSecureWorldAsHtml() throws Exception {
        var response = https.get("/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(response.body()).isEqualTo("<h1>Hello Secure World!</h1>");
    }

    @Test
    void rootTellsBrowsersNotToSniffFrameOrLoadAnything() throws Exception {
        var response = https.get("/");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'none'; frame-ancestors 'none'");
    }

    @Test
    void helloGreetsByNameWithTheGreetingHeaderAndSetsACustomHeader() throws Exception {
        try (HttpClient client = https.client()) {
            var response = client.send(
                    https.request("/hello?name=Ada%20Lovelace")
                            .header("X-Greeting", "Bonjour")
                            .build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Bonjour, Ada Lovelace!\n");
            assertThat(response.headers().firstValue("Custom-Header-1")).hasValue("Custom-Value-1");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        }
    }

    @Test
    void helloWithoutNameOrGreetingSaysHelloWorld() throws Exception {
        assertThat(https.get("/hello").body()).isEqualTo("Hello, World!\n");
    }

    @Test
    void asyncIsFinishedOnAnAsyncWorkerThread() throws Exception {
        var response = https.get("/async");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).matches("Hello from async-worker-\\d+ \\(session \\d+\\)\n");
    }

    @Test
    void whoamiDescribesTheTlsSession() throws Exception {
        var response = https.get("/whoami");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        DocumentContext json = JsonPath.parse(response.body());
        assertThat(json.read("$.sessionId", Integer.class)).isPositive();
        assertThat(json.read("$.remoteAddress", String.class)).contains("127.0.0.1");
        // no forwarded headers are read by default: the client is the connection's peer
        assertThat(json.read("$.clientAddress", String.class)).isEqualTo("127.0.0.1");
        assertThat(json.read("$.proxies", List.class)).isEmpty();
        assertThat(json.read("$.proxiedFrom", String.class)).isNull();
        assertThat(json.read("$.scheme", String.class)).isEqualTo("https");
        assertThat(json.read("$.host", String.class)).isEqualTo("localhost");
        assertThat(json.read("$.port", Integer.class)).isEqualTo(port);
        assertThat(json.read("$.protocol", String.class)).isEqualTo("TLSv1.3");
        assertThat(json.read("$.cipherSuite", String.class)).startsWith("TLS_");
        assertThat(json.read("$.sni", String.class)).isEqualTo("localhost");
        assertThat(json.read("$.alpn", String.class)).isEqualTo("http/1.1");
        assertThat(json.read("$.clientCertificate", String.class)).isNull();
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        assertThat(https.get("/nothing-here").statusCode()).isEqualTo(404);
    }
}
