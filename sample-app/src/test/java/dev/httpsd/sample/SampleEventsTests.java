package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.httpsd.server.RawClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code GET /events?limit=N} shows the events the sample's listener received, newest last. */
@SpringBootTest(
        classes = SampleApplication.class,
        webEnvironment = WebEnvironment.NONE,
        properties = "https-server.port-secure=0")
class SampleEventsTests {

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
    void eventsOfAnEarlierConnectionAreListedUnderItsSessionId() throws Exception {
        int sessionId;
        try (RawClient client = new RawClient(https.socket())) {
            assertThat(client.exchange("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nping")
                            .bodyText())
                    .isEqualTo("ping");
            RawClient.Response whoami =
                    client.exchange("GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            sessionId = JsonPath.read(whoami.bodyText(), "$.sessionId");
            assertThat(client.closedByServer()).isTrue();
        }
        List<String> events = await().atMost(SampleHttps.TIMEOUT)
                .until(() -> eventsOf(sessionId), list -> list.contains("https DISCONNECTED"));
        assertThat(events)
                .startsWith("https ON_CONNECTED", "http ON_CONNECTED", "https ON_DATA", "http ON_HEADER")
                .contains("http ON_DATA length=4", "https SENT_DATA", "http HEADERS_SENT", "http SENT_DATA length=4")
                .endsWith("http DISCONNECTED", "https DISCONNECTED");
    }

    @Test
    void limitReturnsTheLastNEventsAsJson() throws Exception {
        var response = https.get("/events?limit=3");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        List<Map<String, Object>> entries = JsonPath.read(response.body(), "$");
        assertThat(entries)
                .hasSize(3)
                .allSatisfy(entry -> assertThat(entry)
                        .containsKeys("type", "family", "id", "sessionId", "remoteAddress", "payload", "time"));
    }

    @Test
    void limitThatIsNotANumberIsABadRequest() throws Exception {
        assertThat(https.get("/events?limit=many").statusCode()).isEqualTo(400);
    }

    /** "family ID[ payload]" of every listed event of one session, oldest first. */
    private List<String> eventsOf(int sessionId) throws Exception {
        String json = https.get("/events?limit=" + EventLog.CAPACITY).body();
        List<Map<String, Object>> entries = JsonPath.read(json, "$[?(@.sessionId == " + sessionId + ")]");
        return entries.stream()
                .map(entry -> entry.get("family") + " " + entry.get("id")
                        + (entry.get("payload") == null ? "" : " " + entry.get("payload")))
                .map(text -> text.startsWith("https") ? text.replaceAll(" length=\\d+$", "") : text)
                .toList();
    }
}
