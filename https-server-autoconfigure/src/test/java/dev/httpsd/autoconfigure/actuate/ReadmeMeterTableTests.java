package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.HttpsServerAutoConfiguration;
import dev.httpsd.autoconfigure.HttpsServerLifecycle;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.test.RawHttpConnection;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The README's meter table is the code's: after traffic that moves every meter (a request with a
 * body, a failed handshake, a forged record on an established session), the {@code httpsd.*}
 * meters registered are exactly the table's rows, each of the type and with the tag keys (plus
 * {@code port} and {@code transport}) the table gives it.
 */
class ReadmeMeterTableTests {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern ROW = Pattern.compile("^\\s*\\| (`httpsd\\.[^|]+) \\| (\\w+) \\|([^|]*)\\|");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PROXY_REFUSED = "httpsd.proxy.refused";
    /** HTTP/2's meters, off here (HTTP/2 is off by default): {@link Http2MeterTests} checks their rows. */
    private static final String HTTP2 = "httpsd.http2.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SslAutoConfiguration.class,
                    HttpsServerAutoConfiguration.class,
                    HttpsServerActuatorAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withUserConfiguration(Echo.class)
            .withPropertyValues(
                    "https-server.port-secure=0",
                    "https-server.ssl.certificate=" + Certificates.toPem(TestHttps.SERVER.chain()),
                    "https-server.ssl.private-key=" + Certificates.toPem(TestHttps.SERVER.privateKey()));

    @Configuration(proxyBeanMethods = false)
    static class Echo {
        @UriMapping(uri = "/echo", method = HttpMethod.POST)
        byte[] echo(HttpRequest request) throws IOException {
            return request.body().readAllBytes();
        }
    }

    @Test
    void everyMeterRegisteredIsInTheReadmeTableWithItsTypeAndTags() throws Exception {
        Map<String, Row> table = readmeTable();
        runner.run(context -> {
            int port = context.getBean(HttpsServerLifecycle.class).server().port();
            SSLContext trusting = TestHttps.clientContext(null);
            try (RawHttpConnection client = new RawHttpConnection(TestHttps.connect(trusting, port))) {
                assertThat(client.exchange("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n"
                                        + "Connection: close\r\n\r\nping")
                                .bodyText())
                        .isEqualTo("ping");
            }
            SSLContext distrusting = TestHttps.clientContext(
                    null,
                    Certificates.selfSigned("stranger", Duration.ofDays(1), List.of("localhost"))
                            .certificate());
            assertThatThrownBy(() -> TestHttps.connect(distrusting, port).close())
                    .isInstanceOf(SSLHandshakeException.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            garbageAfterTheHandshake(trusting, port, registry);

            await().atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(
                            () -> assertThat(meters(registry).keySet()).isEqualTo(withoutProxyMeters(table.keySet())));
            meters(registry).forEach((name, meter) -> assertMatchesRow(table, name, meter));
        });
    }

    @Test
    void theProxyRefusalMeterIsInTheReadmeTableWithItsTypeAndTags() throws Exception {
        Map<String, Row> table = readmeTable();
        runner.withPropertyValues(
                        "https-server.proxy-protocol.enabled=true",
                        "https-server.proxy-protocol.trusted-sources=127.0.0.0/8")
                .run(context -> {
                    int port =
                            context.getBean(HttpsServerLifecycle.class).server().port();
                    try (Socket direct = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        direct.setSoTimeout((int) DEADLINE.toMillis());
                        direct.getOutputStream()
                                .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        assertThat(direct.getInputStream().read())
                                .as("closed unserved")
                                .isEqualTo(-1);
                    }
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    await().atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> registry.find(PROXY_REFUSED)
                                            .tag("reason", "not_proxy_protocol")
                                            .counter()
                                    != null);
                    assertMatchesRow(
                            table, PROXY_REFUSED, registry.get(PROXY_REFUSED).counter());
                    assertThat(registry.get(PROXY_REFUSED).counter().count()).isEqualTo(1.0);
                });
    }

    /** Moved only on a listener that requires the PROXY protocol: measured in a test of its own. */
    private static Set<String> withoutProxyMeters(Set<String> names) {
        Set<String> others = new TreeSet<>(names);
        others.remove(PROXY_REFUSED);
        return others;
    }

    private static void assertMatchesRow(Map<String, Row> table, String name, Meter meter) {
        Row row = table.get(name);
        assertThat(row).as(name + " in the README table").isNotNull();
        assertThat(meter.getId().getType().name().toLowerCase(java.util.Locale.ROOT))
                .as(name + " type")
                .isEqualTo(row.type());
        assertThat(meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet()))
                .as(name + " tags")
                .isEqualTo(row.tags());
    }

    /**
     * A TLS session that completes its handshake, then sends a record that does not decrypt: a TLS
     * failure on an established session, once the server has seen the handshake through.
     */
    private static void garbageAfterTheHandshake(SSLContext tls, int port, MeterRegistry registry) throws IOException {
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, false)) {
            secure.setSoTimeout((int) DEADLINE.toMillis());
            secure.startHandshake();
            await().atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> registry.find("httpsd.events.published")
                                    .tags("family", "https", "event", "ON_CONNECTED")
                                    .counter()
                                    .count()
                            == 2);
            // an application-data record header with 16 bytes no key encrypted: bad_record_mac
            byte[] forged = new byte[5 + 16];
            forged[0] = 0x17;
            forged[1] = 0x03;
            forged[2] = 0x03;
            forged[4] = 16;
            OutputStream raw = plain.getOutputStream();
            raw.write(forged);
            raw.flush();
            await().atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> registry.find("httpsd.ssl.errors").counter() != null);
        }
    }

    private static Map<String, Meter> meters(MeterRegistry registry) {
        Map<String, Meter> meters = new TreeMap<>();
        registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith("httpsd."))
                .filter(meter -> !meter.getId().getName().startsWith(HTTP2))
                .forEach(meter -> meters.put(meter.getId().getName(), meter));
        return meters;
    }

    record Row(String type, Set<String> tags) {}

    /** Meter name to type and tag keys; "a / b" rows are two meters. */
    private static Map<String, Row> readmeTable() throws IOException {
        Map<String, Row> table = new LinkedHashMap<>();
        for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            Set<String> tags = new TreeSet<>(List.of("port", "transport"));
            // tag keys are the code spans outside parentheses; inside them are example values
            Matcher key = CODE.matcher(row.group(3).replaceAll("\\([^)]*\\)", ""));
            while (key.find()) {
                tags.add(key.group(1));
            }
            Matcher name = CODE.matcher(row.group(1));
            while (name.find()) {
                if (!name.group(1).startsWith(HTTP2)) {
                    table.put(name.group(1), new Row(row.group(2), tags));
                }
            }
        }
        assertThat(table).as("README.md has a meter table").isNotEmpty();
        return new TreeMap<>(table);
    }
}
