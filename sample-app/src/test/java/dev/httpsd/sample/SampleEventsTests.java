package dev.httpsd.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.httpsd.server.HttpServerEvent;
import dev.httpsd.server.tls.HttpsServerEvent;
import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.RawHttpConnection;
import dev.httpsd.test.RecordServerEvents;
import dev.httpsd.test.ServerEventRecorder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * {@code GET /events?limit=N} shows the events the sample's listener received, newest last; the
 * test's own recorder (https-server-test) hears the same events as the server posts them.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@RecordServerEvents
class SampleEventsTests {

    @Autowired
    LocalHttpsServer server;

    @Autowired
    RestTestClient client;

    @Autowired
    ServerEventRecorder recorder;

    @Test
    void eventsOfAnEarlierConnectionAreListedUnderItsSessionId() throws Exception {
        int sessionId = echoPingThenAskWhoAmI();
        List<String> events = await().atMost(LocalHttpsServer.TIMEOUT)
                .until(() -> eventsOf(sessionId), list -> list.contains("https DISCONNECTED"));
        assertThat(events)
                .startsWith("https ON_CONNECTED", "http ON_CONNECTED", "https ON_DATA", "http ON_HEADER")
                .contains("http ON_DATA length=4", "https SENT_DATA", "http HEADERS_SENT", "http SENT_DATA length=4")
                .endsWith("http DISCONNECTED", "https DISCONNECTED");
    }

    @Test
    void theRecorderHearsBothFamiliesOfASessionInOrder() throws Exception {
        int sessionId = echoPingThenAskWhoAmI();
        recorder.await(HttpsServerEvent.Disconnected.class, event -> event.sessionId() == sessionId);
        assertThat(recorder)
                .forSession(sessionId)
                .containsSubsequence(
                        HttpsServerEvent.OnConnected.class,
                        HttpServerEvent.OnConnected.class,
                        HttpServerEvent.OnHeader.class,
                        HttpServerEvent.OnData.class,
                        HttpServerEvent.HeadersSent.class,
                        HttpServerEvent.SentData.class,
                        HttpServerEvent.Disconnected.class,
                        HttpsServerEvent.Disconnected.class)
                .hasNoEventOfType(HttpServerEvent.Error.class);
        assertThat(recorder.events(HttpServerEvent.OnData.class))
                .filteredOn(event -> event.sessionId() == sessionId)
                .extracting(HttpServerEvent.OnData::length)
                .containsExactly(4);
    }

    @Test
    void limitReturnsTheLastNEventsAsJson() {
        client.get()
                .uri("/events?limit=3")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Content-Type", "application/json")
                .expectBody()
                .jsonPath("$.length()")
                .isEqualTo(3)
                .jsonPath("$[*]")
                .value(
                        List.class,
                        entries -> assertThat(entries)
                                .allSatisfy(entry -> assertThat((Map<String, ?>) entry)
                                        .containsKeys(
                                                "type",
                                                "family",
                                                "id",
                                                "sessionId",
                                                "remoteAddress",
                                                "payload",
                                                "time")));
    }

    @Test
    void limitThatIsNotANumberIsABadRequest() {
        client.get().uri("/events?limit=many").exchange().expectStatus().isBadRequest();
    }

    /** One connection: POST /echo "ping", then /whoami with Connection: close; returns its session id. */
    private int echoPingThenAskWhoAmI() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.connect())) {
            assertThat(connection
                            .exchange("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nping")
                            .bodyText())
                    .isEqualTo("ping");
            RawHttpConnection.Response whoami =
                    connection.exchange("GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(connection.closedByServer()).isTrue();
            return JsonPath.read(whoami.bodyText(), "$.sessionId");
        }
    }

    /** "family ID[ payload]" of every listed event of one session, oldest first. */
    private List<String> eventsOf(int sessionId) throws Exception {
        String json = server.get("/events?limit=" + EventLog.CAPACITY).body();
        List<Map<String, Object>> entries = JsonPath.read(json, "$[?(@.sessionId == " + sessionId + ")]");
        return entries.stream()
                .map(entry -> entry.get("family") + " " + entry.get("id")
                        + (entry.get("payload") == null ? "" : " " + entry.get("payload")))
                .map(text -> text.startsWith("https") ? text.replaceAll(" length=\\d+$", "") : text)
                .toList();
    }
}
