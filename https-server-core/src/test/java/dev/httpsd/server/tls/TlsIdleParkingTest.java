package dev.httpsd.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpsd.server.EventRecorder;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpServer;
import dev.httpsd.server.IdleSessions;
import dev.httpsd.server.RawClient;
import dev.httpsd.server.UriHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An idle keep-alive TLS session parks with no thread (its TLS layer gave its read buffers back),
 * and the request that wakes it is read through TLS in full — its first byte taken by the resumed
 * wait, the rest by the channel — with both engines; the idle timeout still closes it, with every
 * HTTPS event in ESP's order.
 */
@ParameterizedClass
@EnumSource(TlsEngine.class)
class TlsIdleParkingTest {

    private static final String GET = "GET /id HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final byte[] BIG = new byte[200_000];

    static {
        for (int i = 0; i < BIG.length; i++) {
            BIG[i] = (byte) (i * 31);
        }
    }

    @Parameter
    TlsEngine engine;

    private final EventRecorder events = new EventRecorder();

    private TlsTestServer start(Duration idleTimeout) throws Exception {
        if (engine == TlsEngine.OPENSSL) {
            TlsTestServer.assumeOpenSslEngine();
        }
        TlsTestServer server = TlsTestServer.start(
                engine, b -> b.httpd(h -> h.idleTimeout(idleTimeout).eventListener(events)));
        HttpServer http = server.https().httpServer();
        IdleSessions.parkAlways(http);
        http.registerUriHandler(UriHandler.of(
                "/id",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id()))));
        http.registerUriHandler(UriHandler.of("/big", HttpMethod.GET, (req, resp) -> resp.send(BIG)));
        return server;
    }

    @Test
    void parkedTlsSessionsHoldNoThreadAndServeTheirNextRequestsInFull() throws Exception {
        try (TlsTestServer server = start(Duration.ofSeconds(60))) {
            HttpServer http = server.https().httpServer();
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                    RawClient client = new RawClient(socket);
                    clients.add(client);
                    assertThat(client.exchange(GET).status()).isEqualTo(200);
                }
                IdleSessions.awaitParked(http, 20);

                for (int round = 0; round < 2; round++) {
                    for (RawClient client : clients) {
                        client.send("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n" + GET);
                    }
                    for (RawClient client : clients) {
                        assertThat(client.read().body()).isEqualTo(BIG);
                        assertThat(client.read().status()).isEqualTo(200);
                    }
                    IdleSessions.awaitParked(http, 20);
                }
            } finally {
                for (RawClient client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void theIdleTimeoutClosesAParkedTlsSessionWithItsEventsInOrder() throws Exception {
        try (TlsTestServer server = start(Duration.ofSeconds(1));
                SSLSocket socket = TlsFixtures.connect(TlsFixtures.clientContext(null), server.port());
                RawClient client = new RawClient(socket)) {
            int id = Integer.parseInt(client.exchange(GET).bodyText());

            assertThat(client.closedByServer()).isTrue();
            events.await("HTTPS DISCONNECTED", id, Duration.ofSeconds(20));
            List<String> labels = events.labels(id);
            assertThat(labels).startsWith("HTTPS ON_CONNECTED", "HTTP ON_CONNECTED");
            assertThat(labels).endsWith("HTTP DISCONNECTED", "HTTPS DISCONNECTED");
            assertThat(IdleSessions.parked(server.https().httpServer())).isZero();
        }
    }
}
