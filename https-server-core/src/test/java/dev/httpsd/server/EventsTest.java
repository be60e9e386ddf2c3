package dev.httpsd.server;

import static dev.httpsd.server.HttpServerEvent.Id.DISCONNECTED;
import static dev.httpsd.server.HttpServerEvent.Id.ERROR;
import static dev.httpsd.server.HttpServerEvent.Id.HEADERS_SENT;
import static dev.httpsd.server.HttpServerEvent.Id.ON_CONNECTED;
import static dev.httpsd.server.HttpServerEvent.Id.ON_HEADER;
import static dev.httpsd.server.HttpServerEvent.Id.SENT_DATA;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HttpServerEvent family, posted where ESP posts it (reference §5.1 and §6.7). */
class EventsTest {

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    private final EventRecorder events = new EventRecorder();

    private HttpServer start() throws Exception {
        HttpServer server = fixture.start(b -> b.eventListener(events));
        fixture.handle("/echo", HttpMethod.POST, (req, resp) -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[64];
            int n;
            while ((n = req.recv(buffer, 0, buffer.length)) > 0) {
                body.write(buffer, 0, n);
            }
            resp.send(body.toByteArray());
        });
        fixture.handle("/ignore", HttpMethod.POST, (req, resp) -> resp.send("ignored"));
        fixture.handle("/chunks", HttpMethod.GET, (req, resp) -> {
            resp.sendChunk("abc");
            resp.sendChunk("de");
            resp.sendChunk("");
        });
        return server;
    }

    private String describe(HttpServerEvent event) {
        return switch (event) {
            case HttpServerEvent.OnData data -> "ON_DATA " + data.length();
            case HttpServerEvent.SentData sent -> "SENT_DATA " + sent.length();
            case HttpServerEvent.Error error -> "ERROR " + error.error();
            default -> event.id().name();
        };
    }

    @Test
    void oneKeepAliveConnectionWithAPostBodyPostsEventsInEspOrder() throws Exception {
        HttpServer server = start();
        RawClient client = fixture.connect();

        client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        client.close();
        int id = events.sessionFromPort(client.localPort());
        events.awaitEvent(DISCONNECTED, id);
        server.stop();

        assertThat(events.ofSession(id).stream().map(this::describe))
                .containsExactly(
                        "ON_CONNECTED",
                        "ON_HEADER",
                        "ON_DATA 5",
                        "HEADERS_SENT",
                        "SENT_DATA 5",
                        "ON_HEADER",
                        "HEADERS_SENT",
                        "SENT_DATA 0",
                        "DISCONNECTED");
        assertThat(events.ofSession(id))
                .allSatisfy(e -> assertThat(e.remoteAddress().getPort()).isEqualTo(client.localPort()));
        assertThat(events.all().getFirst()).isInstanceOf(HttpServerEvent.Start.class);
        assertThat(events.all().getLast()).isInstanceOf(HttpServerEvent.Stop.class);
        assertThat(events.all().getFirst().sessionId()).isEqualTo(-1);
    }

    @Test
    void errorResponsesPostErrorWithTheHttpError() throws Exception {
        start();
        RawClient notFound = fixture.connect();
        notFound.exchange("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
        RawClient malformed = fixture.connect();
        malformed.exchange("GET / HTTP/1.1\r\nHost : x\r\n\r\n");

        int notFoundId = events.sessionFromPort(notFound.localPort());
        int malformedId = events.sessionFromPort(malformed.localPort());
        events.awaitEvent(ERROR, notFoundId);
        events.awaitEvent(ERROR, malformedId);

        assertThat(events.ofSession(notFoundId).stream().map(this::describe))
                .containsExactly("ON_CONNECTED", "ON_HEADER", "HEADERS_SENT", "SENT_DATA 29", "ERROR NOT_FOUND_404");
        assertThat(events.ofSession(malformedId).stream().map(this::describe))
                .as("no ON_HEADER for a head that did not parse")
                .startsWith("ON_CONNECTED", "HEADERS_SENT", "SENT_DATA 18", "ERROR BAD_REQUEST_400");
    }

    @Test
    void aChunkedResponsePostsHeadersSentOnceAndSentDataPerChunk() throws Exception {
        HttpServer server = start();
        RawClient client = fixture.connect();

        client.exchange("GET /chunks HTTP/1.1\r\nHost: x\r\n\r\n");
        int id = events.sessionFromPort(client.localPort());
        ServerFixture.awaitIdle(server, id);

        assertThat(events.ofSession(id).stream().map(this::describe))
                .containsExactly(
                        "ON_CONNECTED", "ON_HEADER", "HEADERS_SENT", "SENT_DATA 3", "SENT_DATA 2", "SENT_DATA 0");
    }

    @Test
    void aBodyTheServerDrainsPostsOnDataLikeEspsPurge() throws Exception {
        start();
        RawClient client = fixture.connect();

        client.exchange("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n" + "d".repeat(3000));
        client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        int id = events.sessionFromPort(client.localPort());

        assertThat(events.ofSession(id).stream()
                        .filter(e -> e instanceof HttpServerEvent.OnData)
                        .mapToInt(e -> ((HttpServerEvent.OnData) e).length())
                        .sum())
                .isEqualTo(3000);
    }

    @Test
    void closingFollowsEspOrderHookSocketDisconnectedUserFreeTransportFree() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        Map<Integer, Socket> sockets = new ConcurrentHashMap<>();
        HttpServer server = fixture.start(b -> b.openHook(TransportHook.of((session, setup) -> {
                    sockets.put(session.id(), setup.socket());
                    session.setContext("user", c -> order.add("user ctx freed"));
                    session.setTransportContext("transport", c -> order.add("transport ctx freed"));
                }))
                .closeHook(session -> order.add("close hook, socket closed: "
                        + sockets.get(session.id()).isClosed()))
                .eventListener(event -> {
                    if (event instanceof HttpServerEvent.Disconnected d) {
                        order.add("DISCONNECTED, socket closed: "
                                + sockets.get(d.sessionId()).isClosed());
                    } else if (event instanceof HttpServerEvent.Stop) {
                        order.add("STOP");
                    }
                })
                .globalUserContext("global user", c -> order.add("global user ctx freed"))
                .globalTransportContext("global transport", c -> order.add("global transport ctx freed")));
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.send("ok"));
        RawClient byClient = fixture.connect();
        byClient.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        byClient.close();
        Await.until("the session closes", () -> server.openSessions() == 0);
        List<String> clientClose = List.copyOf(order);
        order.clear();
        fixture.connect().exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        // the client has its response before the session is idle again; stopped while still busy,
        // a session's thread is interrupted, and its next I/O closes the socket before the hook
        ServerFixture.awaitIdle(server, server.clientList().getFirst());
        server.stop();

        List<String> sessionClose = List.of(
                "close hook, socket closed: false",
                "DISCONNECTED, socket closed: true",
                "user ctx freed",
                "transport ctx freed");
        assertThat(clientClose).containsExactlyElementsOf(sessionClose);
        assertThat(order)
                .startsWith(sessionClose.toArray(String[]::new))
                .endsWith("global user ctx freed", "global transport ctx freed", "STOP");
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheServerOrOtherListeners() throws Exception {
        AtomicInteger thrown = new AtomicInteger();
        HttpServer server = fixture.start(b -> b.eventListener(event -> {
                    thrown.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                })
                .eventListener(events));
        fixture.handle("/", HttpMethod.GET, (req, resp) -> resp.send("ok"));
        RawClient client = fixture.connect();

        try (LogCapture log = new LogCapture()) {
            assertThat(client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                    .isEqualTo("ok");
            assertThat(client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText())
                    .isEqualTo("ok");
            ServerFixture.awaitIdle(server, events.sessionFromPort(client.localPort()));
            assertThat(log.aboveDebug()).isNotEmpty().allMatch(line -> line.contains("listener"));
        }

        int id = events.sessionFromPort(client.localPort());
        assertThat(events.idsOf(id))
                .containsExactly(ON_CONNECTED, ON_HEADER, HEADERS_SENT, SENT_DATA, ON_HEADER, HEADERS_SENT, SENT_DATA);
        assertThat(thrown.get()).isEqualTo(events.all().size());
        // the state is START or STOP only: session events never write to it
        assertThat(server.state()).isEqualTo(HttpServerEvent.Id.START);
    }

    @Test
    void listenersCanBeAddedAndRemovedWhileServing() throws Exception {
        HttpServer server = fixture.start();
        fixture.handle(
                "/",
                HttpMethod.GET,
                (req, resp) -> resp.send(String.valueOf(req.session().id())));
        RawClient client = fixture.connect();
        int id = Integer.parseInt(
                client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText());
        ServerFixture.awaitIdle(server, id);

        server.addEventListener(events);
        client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        ServerFixture.awaitIdle(server, id);
        server.removeEventListener(events);
        client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        ServerFixture.awaitIdle(server, id);

        assertThat(events.all())
                .extracting(e -> ((HttpServerEvent) e).id())
                .containsExactly(ON_HEADER, HEADERS_SENT, SENT_DATA);
        assertThat(events.all()).allMatch(e -> e.sessionId() == id);
    }
}
