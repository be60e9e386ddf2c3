package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.httpsd.autoconfigure.events.HttpServerDataEvent;
import dev.httpsd.autoconfigure.events.HttpServerHeaderEvent;
import dev.httpsd.autoconfigure.events.HttpServerHeadersSentEvent;
import dev.httpsd.autoconfigure.events.HttpServerSentDataEvent;
import dev.httpsd.autoconfigure.events.ServerApplicationEvent;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.test.LocalHttpsServer;
import dev.httpsd.test.LocalHttpsServerPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The per-request Spring events ({@code HttpServerHeaderEvent}, {@code HttpServerDataEvent},
 * {@code HttpServerHeadersSentEvent}, {@code HttpServerSentDataEvent}) carry the request's stream:
 * an odd id above 0 for an HTTP/2 request, the same id on each of the request's events, and 0 for
 * an HTTP/1.1 request, in a real application with {@code https-server.http2.enabled=true}.
 */
@SpringBootTest(
        classes = TestSupportApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {TestSupportApplication.CONFIG, "https-server.http2.enabled=true"})
@Import({Http2ServerEventsApplicationTests.Echo.class, Http2ServerEventsApplicationTests.RequestEvents.class})
class Http2ServerEventsApplicationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @LocalHttpsServerPort
    int port;

    @Autowired
    LocalHttpsServer server;

    @Autowired
    RequestEvents events;

    @Component
    static class Echo {
        @UriMapping(uri = "/echo", method = HttpMethod.POST)
        String echo(HttpRequest request) throws IOException {
            return new String(request.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The per-request events, as an application's {@code @EventListener} methods receive them. */
    @Component
    static class RequestEvents {
        final List<ServerApplicationEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        void header(HttpServerHeaderEvent event) {
            received.add(event);
        }

        @EventListener
        void data(HttpServerDataEvent event) {
            received.add(event);
        }

        @EventListener
        void headersSent(HttpServerHeadersSentEvent event) {
            received.add(event);
        }

        @EventListener
        void sentData(HttpServerSentDataEvent event) {
            received.add(event);
        }
    }

    @BeforeEach
    void forgetEarlierEvents() {
        events.received.clear();
    }

    @Test
    void anHttp2RequestsEventsCarryItsOddStreamId() throws Exception {
        HttpResponse<String> response = post(HttpClient.Version.HTTP_2, "over h2");
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo("over h2");

        Map<String, Integer> streams = awaitRequestEvents();
        assertThat(streams.values())
                .allSatisfy(id -> assertThat(id).isPositive().isOdd());
        assertThat(streams.values().stream().distinct())
                .as("one request, one stream")
                .hasSize(1);
    }

    @Test
    void anHttp11RequestsEventsCarryStreamIdZero() throws Exception {
        HttpResponse<String> response = post(HttpClient.Version.HTTP_1_1, "over http/1.1");
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

        Map<String, Integer> streams = awaitRequestEvents();
        assertThat(streams.values()).containsOnly(0);
    }

    /** Waits for the request's four events (SENT_DATA may come after the client has its answer). */
    private Map<String, Integer> awaitRequestEvents() {
        await().atMost(DEADLINE)
                .untilAsserted(() -> assertThat(events.received)
                        .extracting(ServerApplicationEvent::eventName)
                        .contains("ON_HEADER", "ON_DATA", "HEADERS_SENT", "SENT_DATA"));
        return events.received.stream()
                .collect(Collectors.toMap(
                        ServerApplicationEvent::eventName,
                        Http2ServerEventsApplicationTests::streamId,
                        (first, second) -> first.equals(second) ? first : -1));
    }

    private static int streamId(ServerApplicationEvent event) {
        return switch (event) {
            case HttpServerHeaderEvent e -> e.streamId();
            case HttpServerDataEvent e -> e.streamId();
            case HttpServerHeadersSentEvent e -> e.streamId();
            case HttpServerSentDataEvent e -> e.streamId();
            default -> throw new IllegalArgumentException(event.toString());
        };
    }

    private HttpResponse<String> post(HttpClient.Version version, String body) throws Exception {
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(server.sslContext())
                .version(version)
                .connectTimeout(DEADLINE)
                .build()) {
            return client.send(
                    java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/echo"))
                            .timeout(DEADLINE)
                            .POST(BodyPublishers.ofString(body))
                            .build(),
                    BodyHandlers.ofString());
        }
    }
}
