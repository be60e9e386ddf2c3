package dev.httpsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The request observer sees every completed request; statistics count sessions and requests. */
class RequestObserverTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    @Test
    void observesStatusBytesAndDurationOfEachRequest() throws Exception {
        List<CompletedRequest> seen = new CopyOnWriteArrayList<>();
        HttpServer server = fixture.start(b -> b.requestObserver(seen::add));
        fixture.handle("/echo", HttpMethod.POST, (request, response) -> {
            byte[] body = request.body().readAllBytes();
            response.send(body);
        });
        try (RawClient raw = fixture.connect()) {
            raw.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            raw.exchange("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
            raw.send("GET / HTTP/9.9\r\nHost: x\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(505);
        }
        Await.until("three requests observed", () -> seen.size() == 3);
        assertThat(seen.get(0))
                .extracting(CompletedRequest::method, CompletedRequest::path, CompletedRequest::status)
                .containsExactly(HttpMethod.POST, "/echo", 200);
        assertThat(seen.get(0).bodyBytesReceived()).isEqualTo(5);
        assertThat(seen.get(0).bodyBytesSent()).isEqualTo(5);
        assertThat(seen.get(0).durationNanos()).isPositive();
        assertThat(seen.get(1).status()).isEqualTo(404);
        assertThat(seen.get(2).method()).isNull();
        assertThat(seen.get(2).status()).isEqualTo(505);
        assertThat(seen).allSatisfy(r -> assertThat(r.session()).isNotNull());
        Await.until("the session closed", () -> server.statistics().sessionsClosed() == 1);
        ServerStatistics statistics = server.statistics();
        assertThat(statistics.sessionsOpened()).isEqualTo(1);
        assertThat(statistics.requests()).isEqualTo(3);
        assertThat(statistics.openSessions()).isZero();
    }

    @Test
    void countsLruPurges() throws Exception {
        HttpServer server = fixture.start(b -> b.maxOpenSockets(1).lruPurgeEnable(true));
        fixture.handle("/", HttpMethod.GET, (request, response) -> response.send("ok"));
        try (RawClient first = fixture.connect()) {
            assertThat(first.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status())
                    .isEqualTo(200);
            try (RawClient second = fixture.connect()) {
                assertThat(second.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status())
                        .isEqualTo(200);
            }
        }
        assertThat(server.statistics().lruPurges()).isEqualTo(1);
    }
}
