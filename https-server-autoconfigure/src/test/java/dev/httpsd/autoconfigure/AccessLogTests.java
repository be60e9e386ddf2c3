package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.test.RawHttpConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The access log: off by default; on, one line per completed request in the combined log format
 * plus session id, TLS protocol and cipher suite and duration, error responses the server writes
 * itself included, down to a request whose head could not be parsed.
 */
class AccessLogTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** host, ident, user, [time], "request", status, bytes, "referer", "agent", session, tls protocol, cipher, µs. */
    private static final String LINE =
            "127\\.0\\.0\\.1 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] \"%s\" %s %s \"%s\" \"%s\""
                    + " \\d+ TLSv1\\.3 TLS_[A-Z0-9_]+ \\d+";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HttpsServerAutoConfiguration.class))
            .withUserConfiguration(Hello.class)
            .withPropertyValues("https-server.port-secure=0", "https-server.max-req-hdr-len=256")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @Configuration(proxyBeanMethods = false)
    static class Hello {
        @UriMapping(uri = "/hello")
        String hello() {
            return "Hello World!";
        }
    }

    @Test
    void theAccessLogIsOffByDefault() {
        try (LogEvents log = new LogEvents(AccessLog.LOGGER)) {
            runner.run(context -> {
                assertThat(context).doesNotHaveBean(AccessLog.class);
                assertThat(TestHttps.get(context, "/hello").statusCode()).isEqualTo(200);
                assertThat(log.events()).isEmpty();
            });
        }
    }

    @Test
    void everyCompletedRequestIsOneLineServerErrorsAndUnparsableHeadsIncluded() {
        try (LogEvents log = new LogEvents(AccessLog.LOGGER)) {
            runner.withPropertyValues("https-server.access-log.enabled=true").run(context -> {
                int port = TestHttps.port(context);
                try (HttpClient client = TestHttps.client(null)) {
                    client.send(
                            HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hello?name=x"))
                                    .header("Referer", "https://example.com/start")
                                    .header("User-Agent", "an \"agent\" \\ 1.0")
                                    .build(),
                            BodyHandlers.discarding());
                }
                SSLContext tls = TestHttps.clientContext(null);
                try (RawHttpConnection raw = new RawHttpConnection(TestHttps.connect(tls, port))) {
                    assertThat(raw.exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
                                    .status())
                            .isEqualTo(404);
                }
                try (RawHttpConnection raw = new RawHttpConnection(TestHttps.connect(tls, port))) {
                    assertThat(raw.exchange("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(400) + "\r\n\r\n")
                                    .status())
                            .isEqualTo(431);
                }
                try (RawHttpConnection raw = new RawHttpConnection(TestHttps.connect(tls, port))) {
                    assertThat(raw.exchange("NOT A REQUEST\r\n\r\n").status()).isEqualTo(400);
                }
                await().atMost(PATIENCE).until(() -> log.events().size() == 4);
                List<String> lines = log.events().stream()
                        .map(event -> event.getFormattedMessage())
                        .toList();
                assertThat(lines.get(0))
                        .matches(line(
                                "GET /hello\\?name=x HTTP/1\\.1",
                                "200",
                                "12",
                                "https://example\\.com/start",
                                "an \\\\\"agent\\\\\" \\\\\\\\ 1\\.0"));
                assertThat(lines.get(1)).matches(line("GET /nope HTTP/1\\.1", "404", "\\d+", "-", "-"));
                assertThat(lines.get(2)).matches(line("-", "431", "\\d+", "-", "-"));
                assertThat(lines.get(3)).matches(line("-", "400", "\\d+", "-", "-"));
                assertThat(log.events())
                        .allSatisfy(event -> assertThat(event.getLoggerName()).isEqualTo("dev.httpsd.access"));
            });
        }
    }

    @Test
    void plainHttpLinesSayNoTlsAndAnEmptyBodyIsADash() {
        try (LogEvents log = new LogEvents(AccessLog.LOGGER)) {
            runner.withPropertyValues(
                            "https-server.access-log.enabled=true",
                            "https-server.transport-mode=insecure",
                            "https-server.port-insecure=0")
                    .run(context -> {
                        int port = context.getBean(HttpsServerLifecycle.class)
                                .server()
                                .port();
                        try (RawHttpConnection raw = new RawHttpConnection(port)) {
                            assertThat(raw.send("HEAD /hello HTTP/1.0\r\n\r\n")
                                            .read(true)
                                            .status())
                                    .isEqualTo(200);
                        }
                        await().atMost(PATIENCE).until(() -> log.events().size() == 1);
                        assertThat(log.events().getFirst().getFormattedMessage())
                                .matches(
                                        "127\\.0\\.0\\.1 - - \\[[^]]+] \"HEAD /hello HTTP/1\\.0\" 200 - \"-\" \"-\" \\d+ - - \\d+");
                    });
        }
    }

    @Test
    void behindATrustedProxyTheLineNamesTheClientItReports() {
        try (LogEvents log = new LogEvents(AccessLog.LOGGER)) {
            runner.withPropertyValues(
                            "https-server.access-log.enabled=true",
                            "https-server.transport-mode=insecure",
                            "https-server.port-insecure=0",
                            "server.forward-headers-strategy=native")
                    .run(context -> {
                        int port = context.getBean(HttpsServerLifecycle.class)
                                .server()
                                .port();
                        try (RawHttpConnection proxy = new RawHttpConnection(port)) {
                            assertThat(proxy.exchange("""
                                                    GET /hello HTTP/1.1\r
                                                    Host: shop.example\r
                                                    X-Forwarded-For: 203.0.113.7\r
                                                    \r
                                                    """).status()).isEqualTo(200);
                        }
                        await().atMost(PATIENCE).until(() -> log.events().size() == 1);
                        assertThat(log.events().getFirst().getFormattedMessage())
                                .startsWith("203.0.113.7 - - [");
                    });
        }
    }

    @Test
    void controlCharactersCannotBreakALine() {
        StringBuilder line = new StringBuilder();
        AccessLog.escaped(line, "a\u0001b\u007fc\r\n");
        assertThat(line).hasToString("a\\x01b\\x7fc\\x0d\\x0a");
    }

    private static String line(String request, String status, String bytes, String referer, String agent) {
        return String.format(LINE, request, status, bytes, referer, agent);
    }
}
