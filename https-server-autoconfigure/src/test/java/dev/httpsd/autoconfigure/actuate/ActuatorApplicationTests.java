package dev.httpsd.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.httpsd.autoconfigure.ReliabilityTables;
import dev.httpsd.autoconfigure.TestHttps;
import dev.httpsd.autoconfigure.UriMapping;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.tls.Certificates;
import dev.httpsd.server.tls.KeyMaterial;
import dev.httpsd.test.RawHttpConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole observability story of a real application: HTTPS traffic of every status class, a
 * client that does not trust the server and a plain-HTTP client on the TLS port, then the
 * meters, health and info as an operator reads them, over HTTP from the Actuator endpoints on
 * the management port. The server presents a certificate that expires in three days, inside
 * Spring Boot's 14-day SSL warning threshold: the {@code ssl} health component stays UP and lists
 * it as expiring, in httpsd's {@code https-server} bundle.
 */
@SpringBootTest(
        classes = ActuatorApplicationTests.Application.class,
        webEnvironment = WebEnvironment.NONE,
        properties = {
            "https-server.port-secure=0",
            "management.server.port=0",
            "management.health.ssl.certificate-validity-warning-threshold=14d",
            "management.endpoints.web.exposure.include=health,info,metrics",
            "management.endpoint.health.show-details=always",
            "management.info.httpsd.enabled=true",
            "management.info.ssl.enabled=true"
        })
class ActuatorApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Instant NOW = Instant.now();
    private static final KeyMaterial EXPIRING_SOON = TestHttps.CA.issueServer(
            "localhost", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(3)), Certificates.DEVELOPMENT_NAMES);
    /** A certificate the distrusting clients trust instead of the test CA. */
    private static final KeyMaterial STRANGER =
            Certificates.selfSigned("stranger", Duration.ofDays(1), List.of("localhost"));

    private static final String ECHOED = "hello world";
    /** Connections that complete their handshake and send one request each. */
    private static final int SERVED = 6;
    /** Connections whose handshake fails: an HttpClient and an SSLSocket not trusting us, plain HTTP. */
    private static final int FAILED = 3;

    @Value("${local.https-server.port}")
    int port;

    @Autowired
    ManagementServer management;

    @DynamicPropertySource
    static void expiringCertificate(DynamicPropertyRegistry registry) {
        registry.add("https-server.ssl.certificate", () -> Certificates.toPem(EXPIRING_SOON.chain()));
        registry.add("https-server.ssl.private-key", () -> Certificates.toPem(EXPIRING_SOON.privateKey()));
    }

    @Test
    void metersHealthAndInfoDescribeRealTrafficAndTheExpiringCertificate() throws Exception {
        // SERVED connections, one request each: 2xx x3 (GET), 2xx (POST), 4xx, 5xx
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            responses.add(https("GET", "/hello", null));
        }
        responses.add(https("POST", "/echo", ECHOED));
        responses.add(https("GET", "/missing", null));
        responses.add(https("GET", "/fail", null));
        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 200, 404, 500);
        assertThat(responses.get(3).body()).isEqualTo(ECHOED);
        // FAILED connections that never complete a handshake
        httpClientThatDoesNotTrustTheServer();
        tlsSocketThatDoesNotTrustTheServer();
        plainHttpOnTheTlsPort();

        String tag = "port:" + port;
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(count("httpsd.connections.closed", tag)).isEqualTo(SERVED + FAILED);
            assertThat(count("httpsd.events.published", tag, "family:http", "event:DISCONNECTED"))
                    .isEqualTo(SERVED + FAILED);
            assertThat(count("httpsd.events.published", tag, "family:https", "event:DISCONNECTED"))
                    .as("the last event of a session that had a TLS session; the failed ones had none")
                    .isEqualTo(SERVED);
        });

        assertMeters(tag, responses);
        assertHealth();
        assertInfo();
        record(responses);
    }

    /** The {@code spring-actuator-traffic} table: what {@link #assertMeters} read, once it all held. */
    private static void record(List<HttpResponse<String>> responses) {
        long bodyBytes = responses.stream()
                .mapToLong(response -> response.body().getBytes(StandardCharsets.UTF_8).length)
                .sum();
        List<List<String>> rows = List.of(
                List.of(
                        "`http.server.requests` COUNT",
                        SERVED + " = GET `/hello` 200 ×3 + POST `/echo` 200 + GET `UNKNOWN` 404 + GET `/fail` 500"
                                + " (`exception` `IllegalStateException`); outcomes SUCCESS, CLIENT_ERROR, SERVER_ERROR"),
                List.of(
                        "`httpsd.ssl.handshakes`",
                        SERVED + " succeeded (TLSv1.3); " + FAILED + " failed, one per reason: `EOFException`,"
                                + " `certificate_unknown`, `PlaintextException`"),
                List.of("`httpsd.ssl.handshake.duration` COUNT", String.valueOf(SERVED)),
                List.of(
                        "`httpsd.connections.opened` / `closed` / `current`; `lru.purges`",
                        (SERVED + FAILED) + " / " + (SERVED + FAILED) + " / 0; 0"),
                List.of(
                        "`httpsd.bytes.received` / `sent`",
                        ECHOED.length() + " / " + bodyBytes + " (exactly the body bytes the clients received)"),
                List.of(
                        "`httpsd.events.published`",
                        "HTTPS ON_CONNECTED " + SERVED + ", HTTP ON_CONNECTED " + SERVED + ", HTTPS ERROR " + FAILED
                                + ", HTTP ERROR 2 (404, 500), ON_HEADER " + SERVED + ", HTTP DISCONNECTED "
                                + (SERVED + FAILED) + ", HTTPS DISCONNECTED " + SERVED));
        for (int i = 0; i < rows.size(); i++) {
            ReliabilityTables.row(
                    "spring-actuator-traffic",
                    List.of("meter, read from `/actuator/metrics`", "asserted"),
                    String.format(Locale.ROOT, "%02d", i),
                    rows.get(i));
        }
    }

    private void assertMeters(String tag, List<HttpResponse<String>> responses) throws Exception {
        // no tag asked for: availableTags lists every tag with all its values
        DocumentContext requests = metric("http.server.requests");
        assertThat(statistic(requests, "COUNT")).isEqualTo(SERVED);
        assertThat(tagValues(requests, "method")).containsExactlyInAnyOrder("GET", "POST");
        assertThat(tagValues(requests, "uri")).containsExactlyInAnyOrder("/hello", "/echo", "/fail", "UNKNOWN");
        assertThat(tagValues(requests, "status")).containsExactlyInAnyOrder("200", "404", "500");
        assertThat(tagValues(requests, "outcome")).containsExactlyInAnyOrder("SUCCESS", "CLIENT_ERROR", "SERVER_ERROR");
        assertThat(tagValues(requests, "exception")).containsExactlyInAnyOrder("none", "IllegalStateException");
        assertThat(count("http.server.requests", "method:GET", "uri:/hello", "status:200"))
                .isEqualTo(3);
        assertThat(count("http.server.requests", "method:POST", "uri:/echo", "status:200"))
                .isEqualTo(1);
        assertThat(count("http.server.requests", "uri:UNKNOWN", "status:404", "outcome:CLIENT_ERROR"))
                .isEqualTo(1);
        assertThat(count("http.server.requests", "uri:/fail", "status:500", "exception:IllegalStateException"))
                .isEqualTo(1);
        assertThat(statistic(metric("http.server.requests", "uri:/hello"), "TOTAL_TIME"))
                .isPositive();

        assertThat(count("httpsd.connections.opened", tag)).isEqualTo(SERVED + FAILED);
        assertThat(value("httpsd.connections.current", tag)).isZero();
        assertThat(count("httpsd.connections.lru.purges", tag)).isZero();

        assertThat(count("httpsd.bytes.received", tag)).isEqualTo(ECHOED.length());
        long bodyBytes = responses.stream()
                .mapToLong(response -> response.body().getBytes(StandardCharsets.UTF_8).length)
                .sum();
        assertThat(count("httpsd.bytes.sent", tag))
                .as("every response body byte the clients received")
                .isEqualTo(bodyBytes);

        DocumentContext succeeded = metric("httpsd.ssl.handshakes", "result:succeeded");
        assertThat(statistic(succeeded, "COUNT")).isEqualTo(SERVED);
        assertThat(tagValues(succeeded, "port")).containsExactly(Integer.toString(port));
        assertThat(tagValues(succeeded, "reason")).containsExactly("none");
        assertThat(tagValues(succeeded, "protocol")).containsExactly("TLSv1.3");
        assertThat(tagValues(succeeded, "ciphersuite"))
                .allSatisfy(cipher -> assertThat(cipher).startsWith("TLS_"));
        assertThat(count("httpsd.ssl.handshakes", tag, "result:failed")).isEqualTo(FAILED);
        assertThat(tagValues(metric("httpsd.ssl.handshakes", "result:failed"), "reason"))
                .containsExactlyInAnyOrder("EOFException", "certificate_unknown", "PlaintextException");
        // java.net.http.HttpClient closes the connection without sending its alert (the JDK's own
        // SSLServerSocket sees "Remote host terminated the handshake" too); an SSLSocket sends it
        assertThat(count("httpsd.ssl.handshakes", tag, "result:failed", "reason:EOFException"))
                .isEqualTo(1);
        assertThat(count("httpsd.ssl.handshakes", tag, "result:failed", "reason:certificate_unknown"))
                .isEqualTo(1);
        assertThat(count("httpsd.ssl.handshakes", tag, "result:failed", "reason:PlaintextException"))
                .isEqualTo(1);
        assertThat(tagValues(metric("httpsd.ssl.handshakes", "result:failed"), "protocol"))
                .containsExactly("unknown");
        assertThat(count("httpsd.ssl.handshake.duration", tag)).isEqualTo(SERVED);
        assertThat(names()).doesNotContain("httpsd.ssl.errors");

        assertThat(count("httpsd.events.published", tag, "family:https", "event:ON_CONNECTED"))
                .isEqualTo(SERVED);
        assertThat(count("httpsd.events.published", tag, "family:http", "event:ON_CONNECTED"))
                .isEqualTo(SERVED);
        assertThat(count("httpsd.events.published", tag, "family:https", "event:ERROR"))
                .isEqualTo(FAILED);
        assertThat(count("httpsd.events.published", tag, "family:http", "event:ERROR"))
                .as("the 404 and the 500")
                .isEqualTo(2);
        assertThat(count("httpsd.events.published", tag, "family:http", "event:ON_HEADER"))
                .isEqualTo(SERVED);
    }

    private void assertHealth() throws Exception {
        DocumentContext health = JsonPath.parse(management("/actuator/health").body());
        assertThat(health.read("$.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.httpsd.status", String.class)).isEqualTo("UP");
        Map<String, Object> details = health.read("$.components.httpsd.details");
        assertThat(details)
                .containsEntry("port", port)
                .containsEntry("transportMode", "SECURE")
                .containsEntry("openSessions", 0)
                .containsEntry("developmentCertificate", false);
        assertThat(health.read("$.components.ssl.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.ssl.details.invalidChains", List.class))
                .isEmpty();
        List<Map<String, Object>> expiring = health.read("$.components.ssl.details.expiringChains");
        assertThat(expiring).hasSize(1);
        assertThat(expiring.getFirst()).containsEntry("alias", "default");
        assertThat(health.read("$.components.ssl.details.expiringChains[0].certificates[0]", Map.class))
                .containsEntry("subject", "CN=localhost")
                .containsEntry("serialNumber", serial(EXPIRING_SOON))
                .containsEntry(
                        "validityEnds",
                        EXPIRING_SOON.certificate().getNotAfter().toInstant().toString());
    }

    private void assertInfo() throws Exception {
        DocumentContext info = JsonPath.parse(management("/actuator/info").body());
        Map<String, Object> server = info.read("$.httpsd");
        assertThat(server)
                .containsEntry("state", "running")
                .containsEntry("transportMode", "SECURE")
                .containsEntry("port", port)
                .containsEntry("clientAuth", "NONE")
                .containsEntry("developmentCertificate", false)
                .doesNotContainKey("certificateChains");
        assertThat(info.read("$.httpsd.protocols", List.class)).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(info.read("$.httpsd.sslBundles", List.class)).containsExactly("https-server");
        assertThat(info.read("$.httpsd.http2", Map.class))
                .as("HTTP/2 is on by default, with the default limits")
                .containsEntry("offered", true)
                .containsEntry("maxConcurrentStreams", 100)
                .containsEntry("initialWindowSize", 65_535)
                .containsEntry("maxFrameSize", 16_384)
                .containsEntry("maxHeaderListSize", 16_384);
        assertThat(info.read("$.ssl.bundles[*].name", List.class)).containsExactly("https-server");
        Map<String, Object> leaf = info.read("$.ssl.bundles[0].certificateChains[0].certificates[0]");
        assertThat(leaf)
                .containsEntry("subject", "CN=localhost")
                .containsEntry("issuer", "CN=httpsd test CA")
                .containsEntry("serialNumber", serial(EXPIRING_SOON))
                .containsEntry(
                        "validityStarts",
                        EXPIRING_SOON.certificate().getNotBefore().toInstant().toString())
                .containsEntry(
                        "validityEnds",
                        EXPIRING_SOON.certificate().getNotAfter().toInstant().toString());
        assertThat(info.read("$.ssl.bundles[0].certificateChains[0].certificates[0].validity.status", String.class))
                .isEqualTo("VALID");
        List<Map<String, Object>> handlers = info.read("$.httpsd.uriHandlers");
        assertThat(handlers)
                .extracting(handler -> handler.get("method") + " " + handler.get("uri"))
                .containsExactlyInAnyOrder("GET /hello", "POST /echo", "GET /fail");
    }

    // ---- clients -----------------------------------------------------------------------------

    /** One request on a new connection of a client trusting the test CA. */
    private HttpResponse<String> https(String method, String path, String body) throws Exception {
        try (HttpClient client = client(TestHttps.clientContext(null))) {
            return client.send(
                    java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                            .timeout(TIMEOUT)
                            .method(
                                    method,
                                    body == null
                                            ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                            : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    BodyHandlers.ofString());
        }
    }

    private void httpClientThatDoesNotTrustTheServer() throws Exception {
        try (HttpClient client = client(TestHttps.clientContext(null, STRANGER.certificate()))) {
            assertThatThrownBy(() -> client.send(
                            java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hello"))
                                    .timeout(TIMEOUT)
                                    .build(),
                            BodyHandlers.discarding()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    private void tlsSocketThatDoesNotTrustTheServer() throws Exception {
        SSLContext distrusting = TestHttps.clientContext(null, STRANGER.certificate());
        assertThatThrownBy(() -> TestHttps.connect(distrusting, port).close())
                .isInstanceOf(SSLHandshakeException.class);
    }

    private void plainHttpOnTheTlsPort() throws Exception {
        try (RawHttpConnection plain = new RawHttpConnection(new Socket(InetAddress.getLoopbackAddress(), port))) {
            assertThat(plain.exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .status())
                    .isEqualTo(400);
        }
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .connectTimeout(TIMEOUT)
                .build();
    }

    // ---- the management port -----------------------------------------------------------------

    private HttpResponse<String> management(String path) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpResponse<String> response = client.send(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.port() + path))
                            .timeout(TIMEOUT)
                            .build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValue("application/vnd.spring-boot.actuator.v3+json");
            return response;
        }
    }

    private List<String> names() throws Exception {
        return JsonPath.parse(management("/actuator/metrics").body()).read("$.names");
    }

    /** {@code /actuator/metrics/{name}?tag=...}, or null when no meter matches. */
    private DocumentContext metric(String name, String... tags) throws Exception {
        String query = java.util.Arrays.stream(tags)
                .map(tag -> "tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return JsonPath.parse(
                management("/actuator/metrics/" + name + "?" + query).body());
    }

    private long count(String name, String... tags) throws Exception {
        double count = statistic(metric(name, tags), "COUNT");
        assertThat(count).as(name + " is a whole count").isEqualTo(Math.rint(count));
        return (long) count;
    }

    private double value(String name, String... tags) throws Exception {
        return statistic(metric(name, tags), "VALUE");
    }

    private static double statistic(DocumentContext metric, String statistic) {
        List<Number> values = metric.read("$.measurements[?(@.statistic == '" + statistic + "')].value");
        assertThat(values).as(statistic).hasSize(1);
        return values.getFirst().doubleValue();
    }

    private static List<String> tagValues(DocumentContext metric, String tag) {
        List<List<String>> values = metric.read("$.availableTags[?(@.tag == '" + tag + "')].values");
        return values.isEmpty() ? List.of() : values.getFirst();
    }

    private static String serial(KeyMaterial key) {
        return key.certificate().getSerialNumber().toString(16);
    }

    // ---- the application ---------------------------------------------------------------------

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Handlers.class)
    static class Application {}

    static class Handlers {
        @UriMapping(uri = "/hello")
        String hello() {
            return "hi";
        }

        @UriMapping(uri = "/echo", method = HttpMethod.POST)
        byte[] echo(HttpRequest request) throws java.io.IOException {
            return request.body().readAllBytes();
        }

        @UriMapping(uri = "/fail")
        String fail() {
            throw new IllegalStateException("a handler bug, for the 5xx class");
        }
    }
}
